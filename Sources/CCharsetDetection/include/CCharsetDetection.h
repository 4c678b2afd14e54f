#ifndef EXPORTGUARD_CCHARSETDETECTION_H
#define EXPORTGUARD_CCHARSETDETECTION_H

#include <stdint.h>

/// One candidate charset of ICU's detector: its name as ICU gives it (`GB18030`,
/// `Shift_JIS`, `ISO-8859-1`), the language it guessed, and a confidence from 0 to 100.
typedef struct {
    char name[32];
    char language[8];
    int32_t confidence;
} eg_charset_match;

/// Runs ICU's charset detector (ucsdet) over `length` bytes and writes up to `capacity`
/// candidates, best first. Returns how many were written, or -1 when ICU failed.
///
/// A shim because ICU renames its C functions per version (`ucsdet_open_72`) by macros
/// that only a C compiler sees.
int32_t eg_detect_charsets(const void *bytes, int32_t length, eg_charset_match *matches, int32_t capacity);

/// A streaming conversion to UTF-8 with one of ICU's converters (for charsets glibc's
/// iconv does not have, such as HZ). Opaque; made by `eg_icu_converter_open`.
typedef struct eg_icu_converter eg_icu_converter;

/// A converter from the charset ICU knows as `name` to UTF-8, or NULL.
eg_icu_converter *eg_icu_converter_open(const char *name);

void eg_icu_converter_close(eg_icu_converter *converter);

/// Converts from `*source` (advanced past what was taken) into `target`, and returns the
/// bytes written, or -1 on an error other than a full target. `*more` is set when the
/// target filled before all input was converted: call again with what is left. Pass
/// `flush` with the last input (it may be empty). Invalid or unmappable input becomes
/// U+FFFD, counted in `*replaced`.
int32_t eg_icu_converter_convert(eg_icu_converter *converter, const char **source, const char *sourceLimit,
                                 char *target, int32_t capacity, int flush, int *more, int64_t *replaced);

#endif
