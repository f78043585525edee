/* The C reference for `swaplab-bench hog`: map SIZE bytes of anonymous memory in 4 KiB pages
 * (MADV_NOHUGEPAGE) and write random bytes to every byte, 8 at a time, with the same counter-based
 * wyrand stream as the swaplab hog. Prints the seconds the map-and-fill took.
 * Build: cc -O2 -o fill fill.c    Run: ./fill BYTES [SEED] */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: fill BYTES [SEED]\n"); return 2; }
    size_t bytes = strtoull(argv[1], NULL, 10);
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
    size_t length = (bytes + 4095) / 4096 * 4096;
    double t0 = now();
    uint64_t *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); return 1; }
    if (madvise(p, length, MADV_NOHUGEPAGE) != 0) { perror("madvise"); return 1; }
    const uint64_t inc = 0xa0761d6478bd642fULL, mix = 0xe7037ed1a0b428dbULL;
    uint64_t s = seed + inc;
    size_t words = length / 8;
    for (size_t i = 0; i < words; i++) {
        __uint128_t m = (__uint128_t)s * (s ^ mix);
        p[i] = (uint64_t)(m >> 64) ^ (uint64_t)m;
        s += inc;
    }
    double t1 = now();
    printf("%.6f %llx\n", t1 - t0, (unsigned long long)(p[0] ^ p[words - 1]));
    return 0;
}
