/*
 * What init/Native/startup.c and init/Native/spawn.c share, and what the C# side mirrors
 * (init/Interop/NativeSpawn.cs; tests/Init.Tests/Interop/layouts.c checks the layout on both architectures).
 */
#ifndef INIT_NATIVE_H
#define INIT_NATIVE_H

#include <stdint.h>

/* Bit N-1 stands for signal N, as in the kernel's 64-bit masks and /proc/PID/status. */
#define INIT_SIGNAL_BIT(signal) (1ULL << ((signal) - 1))

/* SigIgn and SigCgt of /proc/self/status: 0, or -1 when /proc cannot be read (not mounted: a VM's PID 1). */
int init_read_signal_dispositions(uint64_t *ignored, uint64_t *caught);

/* What the workload's process is to become. Pointers first, then 64-bit, then 32-bit fields: no padding. */
struct init_spawn_request {
    char *const *candidates;      /* the paths to try in order (Spawner.Candidates); candidate_count of them */
    char *const *argv;            /* NULL-terminated */
    char *const *envp;            /* NULL-terminated */
    const char *workdir;
    const int32_t *close_fds;     /* the init's own descriptors, closed in the child; close_count of them */
    const uint32_t *groups;       /* supplementary groups when switch_user; group_count of them */
    uint64_t dropped_capabilities; /* bit N: capability N leaves every set */
    uint64_t kept_ignored;        /* signals the container ignored that stay ignored; every other disposition is reset */
    uint64_t mask;                /* the container's signal mask */
    int32_t candidate_count;
    int32_t close_count;
    int32_t group_count;
    int32_t take_terminal;        /* the child takes the terminal's foreground (tcsetpgrp on fd 0) */
    int32_t switch_user;          /* 0: the init's own uid, gid and groups */
    uint32_t uid;
    uint32_t gid;
    int32_t no_new_privileges;
};

/* The step of the child (or of the parent, for INIT_SPAWN_PIPE and INIT_SPAWN_CLONE) that failed. */
enum init_spawn_step {
    INIT_SPAWN_STARTED = 0,
    INIT_SPAWN_PIPE,
    INIT_SPAWN_CLONE,
    INIT_SPAWN_SETPGID,
    INIT_SPAWN_TCSETPGRP,
    INIT_SPAWN_BOUNDING_SET,      /* detail: the capability */
    INIT_SPAWN_SETGROUPS,
    INIT_SPAWN_SETRESGID,
    INIT_SPAWN_SETRESUID,
    INIT_SPAWN_CAPGET,
    INIT_SPAWN_CAPSET,
    INIT_SPAWN_NO_NEW_PRIVS,
    INIT_SPAWN_WORKDIR,
    INIT_SPAWN_EXEC,              /* detail: the candidate named in the error, or -1 for argv[0] */
};

struct init_spawn_failure {
    int32_t step;                 /* enum init_spawn_step */
    int32_t error;                /* errno */
    int32_t detail;
};

/* Starts the workload: its pid, or -1 with *failure saying which step failed and why. */
int init_spawn(const struct init_spawn_request *request, struct init_spawn_failure *failure);

/* Called on the stop watcher's thread for each stop request it takes; nonzero: taken, the watch is over. */
typedef int32_t (*init_stop_callback)(int32_t signal, int32_t code, int32_t sender_pid);

/* Starts watching for the signals in *requests (bit N-1: signal N): 0, or an errno (then nothing runs). */
int init_stop_watch_start(const uint64_t *requests, init_stop_callback on_stop);

/* Ends the watch and waits for its thread; the requests it did not take stay queued. */
void init_stop_watch_end(void);

#endif
