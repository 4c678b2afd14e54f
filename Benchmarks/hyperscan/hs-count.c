/*
 * hs-count: the Hyperscan reference harness for Benchmarks/compare.sh.
 *
 *   hs-count --patterns FILE [--detectors] [--stream BYTES] [--verbose] CORPUS
 *
 * Same pattern rules as match-count: one pattern a line, empty lines skipped, a trailing
 * CR dropped; a line of pure ASCII is English and gets HS_FLAG_CASELESS (ASCII folding),
 * any other line matches exactly. Every pattern is a literal: hs_compile_lit_multi without
 * --detectors, escaped byte by byte (\xHH) into hs_compile_multi with them.
 *
 * Counts every match Hyperscan reports. Without HS_FLAG_SOM_LEFTMOST a literal reports each
 * end offset once per pattern, which is what ExportGuard's matcher reports too, so the
 * keyword counts of the two must agree exactly.
 *
 * --detectors adds regular expressions that approximate ExportGuard's detectors by shape
 * only (no check digits, dates, region codes or prefix tables; each match end is reported,
 * so a grouped number may count more than once). Their count is printed separately as
 * `detectors` and is NOT expected to equal ExportGuard's; it exists for the throughput
 * comparison.
 *
 * Default is block mode: the corpus is read whole into memory first and only hs_scan is
 * timed. --stream BYTES compiles a streaming database and times read(2) plus
 * hs_scan_stream over chunks of that size, like match-count.
 *
 * Prints:  count=N detectors=M bytes=B seconds=S MBps=X   (MBps = bytes / 10^6 / seconds)
 *
 * Build:   cc -O2 -o hs-count hs-count.c $(pkg-config --cflags --libs libhs)   (or -lhs)
 */

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct detector {
    const char *name;
    const char *regex;
    unsigned flags;
};

/* Shapes of ExportGuard's detectors; \d and \b are ASCII-only here (no UTF8/UCP flags),
   as in ExportGuard, so a Chinese character next to a digit is a boundary. */
static const struct detector detectors[] = {
    {"resident-id", "\\b\\d{17}[\\dXx]\\b", 0},
    {"resident-id-legacy", "\\b\\d{15}\\b", 0},
    {"social-credit-code", "\\b[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}\\b", 0},
    {"mobile-number", "\\b(?:\\+?86|0086)?1[3-9]\\d{9}\\b", 0},
    {"mobile-number-grouped", "\\b1[3-9]\\d[ -]\\d{4}[ -]\\d{4}\\b", 0},
    {"bank-card", "\\b(?:62|60|4\\d|5[1-5])\\d{11,17}\\b", 0},
    {"bank-card-grouped", "\\b(?:62|60|4\\d|5[1-5])\\d\\d(?:[ -]\\d{4}){3}(?:[ -]\\d{1,3})?\\b", 0},
    {"passport", "\\b[EeGgDdSsPpHhMm]\\d{8}\\b", 0},
    {"pla-unit", "\\b[1-9]\\d{4}部队", 0},
    {"pla-unit-english", "\\bunit [1-9]\\d{4}\\b", HS_FLAG_CASELESS},
    {"military-certificate", "[军士文学参]字第\\d{6,8}号", 0},
    {"document-number", "(?:[\\xe4-\\xe9][\\x80-\\xbf]{2}){1,6}(?:〔|\\[|（|【|\\()\\d{4}(?:〕|\\]|）|】|\\))\\d{1,5}号", 0},
    {"classification-marking", "(?:绝密|絕密|机密|機密|秘密|祕密)(?:★|☆|＊|\\*)", 0},
    {"classification-paragraph-mark", "(?:（|\\(|【)(?:绝密|絕密|机密|機密|秘密|祕密)(?:）|\\)|】)", 0},
    {"coordinates", "(?:[NS]|北纬|南纬)?\\d{1,3}\\.\\d{4,8}(?:, ?|，| )(?:[EW]|东经|西经)?\\d{1,3}\\.\\d{4,8}\\b", 0},
};
#define DETECTOR_COUNT (sizeof detectors / sizeof detectors[0])

struct counts {
    unsigned keywordCount; /* ids below this are keywords */
    unsigned long long keywords;
    unsigned long long detectors;
    unsigned long long byDetector[DETECTOR_COUNT];
};

static void fail(const char *message, int status) {
    fprintf(stderr, "hs-count: %s\n", message);
    exit(status);
}

static void usage(void) {
    fail("usage: hs-count --patterns FILE [--detectors] [--stream BYTES] [--verbose] CORPUS", 64);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Reads up to size bytes, retrying short reads; returns the count (0 at the end). */
static size_t readFully(int fd, char *buffer, size_t size) {
    size_t filled = 0;
    while (filled < size) {
        ssize_t n = read(fd, buffer + filled, size - filled);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(strerror(errno), 74);
        }
        if (n == 0) break;
        filled += (size_t)n;
    }
    return filled;
}

static char *readWhole(const char *path, size_t *length) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "hs-count: cannot open %s: %s\n", path, strerror(errno));
        exit(66);
    }
    struct stat info;
    size_t capacity = fstat(fd, &info) == 0 && info.st_size > 0 ? (size_t)info.st_size + 1 : 1 << 20;
    size_t used = 0;
    char *data = malloc(capacity);
    if (!data) fail("out of memory", 70);
    for (;;) {
        if (used == capacity) {
            capacity *= 2;
            data = realloc(data, capacity);
            if (!data) fail("out of memory", 70);
        }
        size_t n = readFully(fd, data + used, capacity - used);
        used += n;
        if (n == 0 || used < capacity) break;
    }
    close(fd);
    *length = used;
    return data;
}

static int onMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *context) {
    (void)from, (void)to, (void)flags;
    struct counts *counts = context;
    if (id < counts->keywordCount) {
        counts->keywords++;
    } else {
        counts->detectors++;
        counts->byDetector[id - counts->keywordCount]++;
    }
    return 0;
}

static int isASCII(const char *text, size_t length) {
    for (size_t i = 0; i < length; i++)
        if ((unsigned char)text[i] >= 0x80) return 0;
    return 1;
}

int main(int argc, char **argv) {
    const char *patternsPath = NULL, *corpusPath = NULL;
    int withDetectors = 0, verbose = 0;
    size_t streamChunk = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--patterns") && i + 1 < argc) {
            patternsPath = argv[++i];
        } else if (!strcmp(argv[i], "--detectors")) {
            withDetectors = 1;
        } else if (!strcmp(argv[i], "--verbose")) {
            verbose = 1;
        } else if (!strcmp(argv[i], "--stream") && i + 1 < argc) {
            char *end;
            unsigned long long value = strtoull(argv[++i], &end, 10);
            if (*end == 'K' || *end == 'k') value <<= 10, end++;
            else if (*end == 'M' || *end == 'm') value <<= 20, end++;
            if (*end || value == 0) usage();
            streamChunk = (size_t)value;
        } else if (argv[i][0] != '-' && !corpusPath) {
            corpusPath = argv[i];
        } else {
            usage();
        }
    }
    if (!patternsPath || !corpusPath) usage();

    /* Patterns: split the file into lines in place. */
    size_t patternBytes;
    char *patternText = readWhole(patternsPath, &patternBytes);
    size_t capacity = 64, count = 0;
    char **lines = malloc(capacity * sizeof *lines);
    size_t *lengths = malloc(capacity * sizeof *lengths);
    for (size_t start = 0; start < patternBytes;) {
        size_t end = start;
        while (end < patternBytes && patternText[end] != '\n') end++;
        size_t length = end - start;
        if (length > 0 && patternText[start + length - 1] == '\r') length--;
        if (length > 0) {
            if (count == capacity) {
                capacity *= 2;
                lines = realloc(lines, capacity * sizeof *lines);
                lengths = realloc(lengths, capacity * sizeof *lengths);
            }
            lines[count] = patternText + start;
            lengths[count] = length;
            count++;
        }
        start = end + 1;
    }
    if (count == 0) fail("no patterns", 65);

    size_t total = count + (withDetectors ? DETECTOR_COUNT : 0);
    unsigned *flags = calloc(total, sizeof *flags);
    unsigned *ids = calloc(total, sizeof *ids);
    for (size_t i = 0; i < total; i++) ids[i] = (unsigned)i;
    for (size_t i = 0; i < count; i++) flags[i] = isASCII(lines[i], lengths[i]) ? HS_FLAG_CASELESS : 0;

    unsigned mode = streamChunk ? HS_MODE_STREAM : HS_MODE_BLOCK;
    hs_database_t *db = NULL;
    hs_compile_error_t *error = NULL;
    double compileStart = now();
    hs_error_t status;
    if (!withDetectors) {
        status = hs_compile_lit_multi((const char *const *)lines, flags, ids, lengths, (unsigned)count, mode, NULL, &db, &error);
    } else {
        char **expressions = malloc(total * sizeof *expressions);
        for (size_t i = 0; i < count; i++) {
            char *escaped = malloc(lengths[i] * 4 + 1);
            for (size_t j = 0; j < lengths[i]; j++) sprintf(escaped + 4 * j, "\\x%02x", (unsigned char)lines[i][j]);
            escaped[lengths[i] * 4] = 0;
            expressions[i] = escaped;
        }
        for (size_t d = 0; d < DETECTOR_COUNT; d++) {
            expressions[count + d] = (char *)detectors[d].regex;
            flags[count + d] = detectors[d].flags;
        }
        status = hs_compile_multi((const char *const *)expressions, flags, ids, (unsigned)total, mode, NULL, &db, &error);
    }
    double compileSeconds = now() - compileStart;
    if (status != HS_SUCCESS) {
        fprintf(stderr, "hs-count: compile failed for expression %d: %s\n", error->expression, error->message);
        return 65;
    }
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) fail("cannot allocate scratch", 70);

    struct counts counts = {.keywordCount = (unsigned)count};
    size_t bytes = 0;
    double seconds;
    if (!streamChunk) {
        char *corpus = readWhole(corpusPath, &bytes);
        double start = now();
        if (hs_scan(db, corpus, (unsigned)bytes, 0, scratch, onMatch, &counts) != HS_SUCCESS) fail("scan failed", 70);
        seconds = now() - start;
        free(corpus);
    } else {
        int fd = open(corpusPath, O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "hs-count: cannot open %s: %s\n", corpusPath, strerror(errno));
            return 66;
        }
        char *buffer = malloc(streamChunk);
        hs_stream_t *stream = NULL;
        double start = now();
        if (hs_open_stream(db, 0, &stream) != HS_SUCCESS) fail("cannot open stream", 70);
        size_t n;
        while ((n = readFully(fd, buffer, streamChunk)) > 0) {
            if (hs_scan_stream(stream, buffer, (unsigned)n, 0, scratch, onMatch, &counts) != HS_SUCCESS) fail("scan failed", 70);
            bytes += n;
            if (n < streamChunk) break;
        }
        if (hs_close_stream(stream, scratch, onMatch, &counts) != HS_SUCCESS) fail("cannot close stream", 70);
        seconds = now() - start;
        close(fd);
        free(buffer);
    }

    printf("count=%llu detectors=%llu bytes=%zu seconds=%.4f MBps=%.1f\n", counts.keywords, counts.detectors, bytes, seconds,
           (double)bytes / 1e6 / seconds);
    if (verbose) {
        size_t dbSize = 0;
        hs_database_size(db, &dbSize);
        printf("patterns=%zu databaseBytes=%zu compileSeconds=%.4f mode=%s", count, dbSize, compileSeconds,
               streamChunk ? "stream" : "block");
        if (withDetectors) {
            printf(" detectorKinds=");
            for (size_t d = 0; d < DETECTOR_COUNT; d++)
                printf("%s%s:%llu", d ? "," : "", detectors[d].name, counts.byDetector[d]);
        }
        printf("\n");
    }
    hs_free_scratch(scratch);
    hs_free_database(db);
    return 0;
}
