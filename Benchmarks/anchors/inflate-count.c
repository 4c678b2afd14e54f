/*
 * inflate-count: the zlib anchor for Benchmarks/end-to-end.sh. Reads a .gz file with
 * read(2) in 64 KiB chunks and inflates it (every member) into a 64 KiB buffer that is
 * thrown away: the least a gzip reader must do, on one core.
 *
 *   inflate-count FILE      prints: decoded=N bytes=B
 *
 * Build: cc -O2 -o inflate-count inflate-count.c -lz
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: inflate-count FILE\n"); return 64; }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror(argv[1]); return 66; }
    static unsigned char in[1 << 16], out[1 << 16];
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return 70;
    long decoded = 0, bytes = 0;
    ssize_t n;
    while ((n = read(fd, in, sizeof in)) > 0) {
        bytes += n;
        z.next_in = in;
        z.avail_in = (uInt)n;
        while (z.avail_in > 0) {
            z.next_out = out;
            z.avail_out = sizeof out;
            int status = inflate(&z, Z_NO_FLUSH);
            decoded += sizeof out - z.avail_out;
            if (status == Z_STREAM_END) {
                inflateReset(&z);  /* the next member, if any */
            } else if (status != Z_OK && status != Z_BUF_ERROR) {
                fprintf(stderr, "inflate-count: %s\n", z.msg ? z.msg : "error");
                return 65;
            }
        }
    }
    inflateEnd(&z);
    printf("decoded=%ld bytes=%ld\n", decoded, bytes);
    return 0;
}
