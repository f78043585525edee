/* Runs a command and writes what it used to RESULT_FILE: "<ru_maxrss KiB> <user s> <system s> <wait status>".
 *
 * A tiny process forks the command, so ru_maxrss is the command's own VmHWM: posix_spawn from a large process
 * (vfork, one mm) makes the kernel carry the spawner's high-water mark into the child's at exec (exec_mmap()'s
 * setmax_mm_hiwater_rss()), which would hide the command's real peak. Used by swaplab-bench; cc -O2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: peak RESULT_FILE COMMAND [ARG...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) return 1;
    FILE *f = fopen(argv[1], "w");
    if (!f) return 1;
    fprintf(f, "%ld %ld.%06ld %ld.%06ld %d\n", ru.ru_maxrss, (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
            (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec, status);
    fclose(f);
    return 0;
}
