#ifndef EXPORTGUARD_CZLIB_SHIM_H
#define EXPORTGUARD_CZLIB_SHIM_H

#include <zlib.h>

// inflateInit2 is a function-like macro (it passes the version and struct size),
// which Swift cannot call; this wrapper gives it a real symbol.
static inline int eg_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

#endif
