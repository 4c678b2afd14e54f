#ifndef EXPORTGUARD_CZSTD_H
#define EXPORTGUARD_CZSTD_H

#include <stddef.h>

/// Zstandard decompression through libzstd.so.1, loaded at run time: Debian's machines of
/// this kind carry the library (libzstd1, a dependency of apt itself) but not its headers,
/// so the package builds without libzstd-dev and the few functions it needs are declared
/// here, as zstd.h declares them (their ABI is stable since zstd 1.3). Without the library,
/// zstd content is reported as not inspected.

typedef struct eg_zstd_in { const void *src; size_t size; size_t pos; } eg_zstd_in;
typedef struct eg_zstd_out { void *dst; size_t size; size_t pos; } eg_zstd_out;

/// Loads the library once; 0 when it is there.
int eg_zstd_load(void);
/// A new decompression stream with at most 2^windowLogMax bytes of window; NULL on failure.
void *eg_zstd_create(int windowLogMax);
void eg_zstd_free(void *stream);
/// Starts a new frame (a new member, or a new zip entry).
void eg_zstd_reset(void *stream);
/// ZSTD_decompressStream: 0 when a frame is complete and flushed, an error code (test with
/// eg_zstd_is_error), or a hint of the input still expected.
size_t eg_zstd_decompress(void *stream, eg_zstd_out *output, eg_zstd_in *input);
unsigned eg_zstd_is_error(size_t code);
const char *eg_zstd_error_name(size_t code);

#endif
