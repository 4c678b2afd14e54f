// Everything is static inline in include/CByteMasks.h; SwiftPM needs one source file.
#include "CByteMasks.h"
