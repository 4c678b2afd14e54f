#include "CCharsetDetection.h"

#include <string.h>
#include <stdlib.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>

static void copy_name(char *target, size_t capacity, const char *source) {
    if (source == NULL) source = "";
    size_t length = strlen(source);
    if (length >= capacity) length = capacity - 1;
    memcpy(target, source, length);
    target[length] = 0;
}

int32_t eg_detect_charsets(const void *bytes, int32_t length, eg_charset_match *matches, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&status);
    if (U_FAILURE(status)) return -1;
    ucsdet_setText(detector, (const char *)bytes, length, &status);
    int32_t found = 0;
    const UCharsetMatch **all = ucsdet_detectAll(detector, &found, &status);
    if (U_FAILURE(status)) {
        ucsdet_close(detector);
        return found == 0 && status == U_INVALID_CHAR_FOUND ? 0 : -1;
    }
    int32_t written = 0;
    for (int32_t index = 0; index < found && written < capacity; index++) {
        UErrorCode matchStatus = U_ZERO_ERROR;
        const char *name = ucsdet_getName(all[index], &matchStatus);
        const char *language = ucsdet_getLanguage(all[index], &matchStatus);
        int32_t confidence = ucsdet_getConfidence(all[index], &matchStatus);
        if (U_FAILURE(matchStatus)) continue;
        copy_name(matches[written].name, sizeof matches[written].name, name);
        copy_name(matches[written].language, sizeof matches[written].language, language);
        matches[written].confidence = confidence;
        written++;
    }
    ucsdet_close(detector);
    return written;
}

struct eg_icu_converter {
    UConverter *source;
    UConverter *utf8;
    UChar pivot[1024];
    UChar *pivotSource;
    UChar *pivotTarget;
    int started;
    int64_t replaced;
};

/// Substitutes U+FFFD for what cannot be read, and counts it.
static void count_and_substitute(const void *context, UConverterToUnicodeArgs *args, const char *codeUnits,
                                 int32_t length, UConverterCallbackReason reason, UErrorCode *status) {
    if (reason <= UCNV_IRREGULAR) {
        ((struct eg_icu_converter *)context)->replaced += 1;
        static const UChar replacement = 0xFFFD;
        *status = U_ZERO_ERROR;
        ucnv_cbToUWriteUChars(args, &replacement, 1, 0, status);
    }
}

eg_icu_converter *eg_icu_converter_open(const char *name) {
    struct eg_icu_converter *converter = calloc(1, sizeof *converter);
    if (converter == NULL) return NULL;
    UErrorCode status = U_ZERO_ERROR;
    converter->source = ucnv_open(name, &status);
    if (U_SUCCESS(status)) converter->utf8 = ucnv_open("UTF-8", &status);
    if (U_SUCCESS(status)) {
        ucnv_setToUCallBack(converter->source, count_and_substitute, converter, NULL, NULL, &status);
    }
    if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING || status == U_USING_FALLBACK_WARNING) {
        eg_icu_converter_close(converter);
        return NULL;
    }
    converter->pivotSource = converter->pivot;
    converter->pivotTarget = converter->pivot;
    return converter;
}

void eg_icu_converter_close(eg_icu_converter *converter) {
    if (converter == NULL) return;
    if (converter->source) ucnv_close(converter->source);
    if (converter->utf8) ucnv_close(converter->utf8);
    free(converter);
}

int32_t eg_icu_converter_convert(eg_icu_converter *converter, const char **source, const char *sourceLimit,
                                 char *target, int32_t capacity, int flush, int *more, int64_t *replaced) {
    UErrorCode status = U_ZERO_ERROR;
    char *cursor = target;
    converter->replaced = 0;
    ucnv_convertEx(converter->utf8, converter->source, &cursor, target + capacity, source, sourceLimit,
                   converter->pivot, &converter->pivotSource, &converter->pivotTarget,
                   converter->pivot + sizeof converter->pivot / sizeof converter->pivot[0],
                   converter->started == 0, flush != 0, &status);
    converter->started = 1;
    *replaced += converter->replaced;
    *more = status == U_BUFFER_OVERFLOW_ERROR;
    if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR) return -1;
    return (int32_t)(cursor - target);
}
