#ifndef EXPORTGUARD_CFUZZER_H
#define EXPORTGUARD_CFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for programs with a main of their own (libclang_rt.fuzzer_no_main):
/// the fuzz targets are Swift executables, whose entry point SwiftPM names itself.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
