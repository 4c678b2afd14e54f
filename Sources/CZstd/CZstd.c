#include "CZstd.h"

#include <dlfcn.h>
#include <pthread.h>

// zstd.h's values, for the few parameters used here.
#define EG_ZSTD_RESET_SESSION_ONLY 1
#define EG_ZSTD_D_WINDOW_LOG_MAX 100

static void *(*create_dstream)(void);
static size_t (*free_dstream)(void *);
static size_t (*dctx_reset)(void *, int);
static size_t (*dctx_set_parameter)(void *, int, int);
static size_t (*decompress_stream)(void *, eg_zstd_out *, eg_zstd_in *);
static unsigned (*is_error)(size_t);
static const char *(*get_error_name)(size_t);
static int loaded = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *library = dlopen("libzstd.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    create_dstream = (void *(*)(void))dlsym(library, "ZSTD_createDStream");
    free_dstream = (size_t (*)(void *))dlsym(library, "ZSTD_freeDStream");
    dctx_reset = (size_t (*)(void *, int))dlsym(library, "ZSTD_DCtx_reset");
    dctx_set_parameter = (size_t (*)(void *, int, int))dlsym(library, "ZSTD_DCtx_setParameter");
    decompress_stream = (size_t (*)(void *, eg_zstd_out *, eg_zstd_in *))dlsym(library, "ZSTD_decompressStream");
    is_error = (unsigned (*)(size_t))dlsym(library, "ZSTD_isError");
    get_error_name = (const char *(*)(size_t))dlsym(library, "ZSTD_getErrorName");
    if (create_dstream && free_dstream && dctx_reset && dctx_set_parameter && decompress_stream && is_error && get_error_name) {
        loaded = 0;
    }
}

int eg_zstd_load(void) {
    pthread_once(&once, load);
    return loaded;
}

void *eg_zstd_create(int windowLogMax) {
    if (eg_zstd_load() != 0) return NULL;
    void *stream = create_dstream();
    if (stream && is_error(dctx_set_parameter(stream, EG_ZSTD_D_WINDOW_LOG_MAX, windowLogMax))) {
        free_dstream(stream);
        return NULL;
    }
    return stream;
}

void eg_zstd_free(void *stream) {
    if (stream) free_dstream(stream);
}

void eg_zstd_reset(void *stream) {
    dctx_reset(stream, EG_ZSTD_RESET_SESSION_ONLY);
}

size_t eg_zstd_decompress(void *stream, eg_zstd_out *output, eg_zstd_in *input) {
    return decompress_stream(stream, output, input);
}

unsigned eg_zstd_is_error(size_t code) { return is_error(code); }

const char *eg_zstd_error_name(size_t code) { return get_error_name(code); }
