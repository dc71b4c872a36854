/*
 * Starts the workload: a vfork-style child (clone with CLONE_VM | CLONE_VFORK on a stack of its own, through
 * glibc's wrapper, which knows each architecture's calling convention) sets itself up and calls execve.
 *
 * Why not fork: the runtime has other threads, and a forked copy of one thread inherits every lock in whatever
 * state the others left it. Why not glibc's posix_spawn: credentials are per thread in the kernel and its child
 * copies the calling thread's, so the init needed a spawn thread of its own that lowered its credentials and
 * then had to live for good (PR_SET_PDEATHSIG fires when the *thread* that created a child exits); its child also
 * queries and resets all 64 signal handlers. This child is a process of its own: it lowers its own credentials
 * (raw syscalls only: glibc's setresuid and friends would signal the parent's threads, whose memory the child
 * shares), resets only the handlers that are set, and the init's main thread, which lives as long as the init,
 * is its parent.
 *
 * The child shares the parent's memory until execve and must not run a handler of the parent's: every signal
 * is blocked from before the clone until the child has reset those handlers and restores the container's mask.
 * It reports a failed step through a close-on-exec pipe (end of file: execve succeeded), which also works where
 * the memory is not shared (qemu-user emulates vfork as fork).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "native.h"

/* The child only calls into the kernel (and glibc's thin wrappers): a small stack is plenty. */
#define CHILD_STACK_SIZE (64 * 1024)
#define SIGNAL_COUNT 64

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* The hex mask of the field ("\nSigIgn:") in status text; -1 when there is none. */
static int status_mask(const char *text, const char *field, uint64_t *mask)
{
    const char *digit = strstr(text, field);
    if (digit == NULL) return -1;
    digit += strlen(field);
    while (*digit == '\t' || *digit == ' ') digit++;
    uint64_t value = 0;
    for (int d; (d = hex_digit(*digit)) >= 0; digit++) value = value << 4 | (uint64_t)d;
    *mask = value;
    return 0;
}

int init_read_signal_dispositions(uint64_t *ignored, uint64_t *caught)
{
    char text[4096]; /* status is ~1.5 KB; SigIgn and SigCgt come before the long lists at its end */
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t length;
    do length = read(fd, text, sizeof text - 1);
    while (length < 0 && errno == EINTR);
    close(fd);
    if (length < 0) return -1;
    text[length] = '\0';
    return status_mask(text, "\nSigIgn:", ignored) == 0 && status_mask(text, "\nSigCgt:", caught) == 0 ? 0 : -1;
}

/* sigprocmask on the kernel's 64-bit mask, 32 and 33 included (glibc's wrapper keeps those two open). */
static void set_signal_mask(const uint64_t *mask, uint64_t *old)
{
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, mask, old, sizeof *mask);
}

struct child {
    const struct init_spawn_request *request;
    uint64_t to_default; /* set now (a handler, or ignored by .NET) but not ignored by the container */
    uint64_t to_ignored; /* ignored by the container, a handler of the init's now (SEGV, FPE) */
    int report;          /* the pipe's write end */
};

static _Noreturn void fail(const struct child *child, int step, int error, int detail)
{
    struct init_spawn_failure failure = { .step = step, .error = error, .detail = detail };
    /* Fewer bytes than PIPE_BUF: one atomic write. If it fails the parent sees end of file and reaps a 127. */
    ssize_t written;
    do written = write(child->report, &failure, sizeof failure);
    while (written < 0 && errno == EINTR);
    _exit(127);
}

/* In this order; docs/design.md ("Privileges: the spawn's child") says why each step is where it is. */
static void lower_credentials(const struct child *child)
{
    const struct init_spawn_request *request = child->request;
    uint64_t dropped = request->dropped_capabilities;
    /* 1. The bounding set, while CAP_SETPCAP is still there; what the set no longer holds needs no drop. */
    for (int capability = 0; capability < 64; capability++) {
        if (!(dropped & (1ULL << capability))) continue;
        int held = prctl(PR_CAPBSET_READ, capability, 0, 0, 0);
        if (held < 0) break; /* EINVAL: past the kernel's last capability ("ALL" sets every bit) */
        if (held == 1 && prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0)
            fail(child, INIT_SPAWN_BOUNDING_SET, errno, capability);
    }
    /* 2. Groups, then gid, then uid: the first two need CAP_SETGID, which leaving uid 0 takes away. */
    if (request->switch_user) {
        if (syscall(SYS_setgroups, (long)request->group_count, request->groups) != 0)
            fail(child, INIT_SPAWN_SETGROUPS, errno, 0);
        if (syscall(SYS_setresgid, request->gid, request->gid, request->gid) != 0)
            fail(child, INIT_SPAWN_SETRESGID, errno, 0);
        if (syscall(SYS_setresuid, request->uid, request->uid, request->uid) != 0)
            fail(child, INIT_SPAWN_SETRESUID, errno, 0);
    }
    /* 3. The dropped capabilities leave effective, permitted and inheritable; ambient follows by itself. */
    if (dropped != 0) {
        struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct sets[2];
        if (syscall(SYS_capget, &header, sets) != 0) fail(child, INIT_SPAWN_CAPGET, errno, 0);
        for (int word = 0; word < 2; word++) {
            uint32_t kept = ~(uint32_t)(dropped >> (32 * word));
            sets[word].effective &= kept;
            sets[word].permitted &= kept;
            sets[word].inheritable &= kept;
        }
        if (syscall(SYS_capset, &header, sets) != 0) fail(child, INIT_SPAWN_CAPSET, errno, 0);
    }
    /* 4. no_new_privs only matters at execve. */
    if (request->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        fail(child, INIT_SPAWN_NO_NEW_PRIVS, errno, 0);
}

/* execvp's search over the candidates: EACCES on one does not stop it, but is what gets reported. */
static _Noreturn void execute(const struct child *child)
{
    const struct init_spawn_request *request = child->request;
    int last_error = ENOENT, named = -1;
    for (int i = 0; i < request->candidate_count; i++) {
        execve(request->candidates[i], request->argv, request->envp);
        int error = errno;
        if (error != ENOENT && error != ENOTDIR && error != EACCES) fail(child, INIT_SPAWN_EXEC, error, i);
        if (error == EACCES || last_error != EACCES) last_error = error, named = i;
    }
    fail(child, INIT_SPAWN_EXEC, last_error, last_error == EACCES ? named : -1);
}

static int become_workload(void *argument)
{
    const struct child *child = argument;
    const struct init_spawn_request *request = child->request;
    /* Every signal is blocked (the parent did it before the clone); the handlers go first. glibc refuses 32 and
       33 (EINVAL): its own, and they act only on requests of its own threads. */
    struct sigaction default_action = { .sa_handler = SIG_DFL }, ignore = { .sa_handler = SIG_IGN };
    for (int signal = 1; signal <= SIGNAL_COUNT; signal++) {
        if (child->to_ignored & INIT_SIGNAL_BIT(signal)) sigaction(signal, &ignore, NULL);
        else if (child->to_default & INIT_SIGNAL_BIT(signal)) sigaction(signal, &default_action, NULL);
    }
    if (setpgid(0, 0) != 0) fail(child, INIT_SPAWN_SETPGID, errno, 0);
    /* From a new background group this would stop the child with SIGTTOU, were it not blocked. */
    if (request->take_terminal && tcsetpgrp(0, getpgrp()) != 0) fail(child, INIT_SPAWN_TCSETPGRP, errno, 0);
    for (int i = 0; i < request->close_count; i++) close(request->close_fds[i]);
    lower_credentials(child);
    /* With the workload's credentials: a workdir its user cannot enter is reported as such. */
    if (chdir(request->workdir) != 0) fail(child, INIT_SPAWN_WORKDIR, errno, 0);
    set_signal_mask(&request->mask, NULL);
    execute(child);
}

int init_spawn(const struct init_spawn_request *request, struct init_spawn_failure *failure)
{
    *failure = (struct init_spawn_failure){ .step = INIT_SPAWN_STARTED };
    /* What is caught now is the runtime's and the init's; what is ignored and not the container's is .NET's. */
    uint64_t ignored = 0, caught = 0, every = ~0ULL;
    if (init_read_signal_dispositions(&ignored, &caught) != 0) ignored = caught = every; /* no /proc: each one */
    struct child child = {
        .request = request,
        .to_default = (ignored | caught) & ~request->kept_ignored,
        .to_ignored = caught & request->kept_ignored,
    };
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        *failure = (struct init_spawn_failure){ .step = INIT_SPAWN_PIPE, .error = errno };
        return -1;
    }
    child.report = report[1];
    _Alignas(16) char stack[CHILD_STACK_SIZE];
    uint64_t saved;
    set_signal_mask(&every, &saved);
    /* The stack grows down on both architectures the init is built for. This thread sleeps until the child
       has called execve or exited. */
    pid_t pid = clone(become_workload, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &child);
    int clone_error = errno;
    set_signal_mask(&saved, NULL);
    close(report[1]);
    ssize_t length = 0;
    if (pid > 0) {
        do length = read(report[0], failure, sizeof *failure);
        while (length < 0 && errno == EINTR);
    }
    close(report[0]);
    if (pid < 0) {
        *failure = (struct init_spawn_failure){ .step = INIT_SPAWN_CLONE, .error = clone_error };
        return -1;
    }
    if (length != (ssize_t)sizeof *failure) {
        /* execve succeeded (or the child died before it: the supervisor reaps that status like any other). */
        *failure = (struct init_spawn_failure){ .step = INIT_SPAWN_STARTED };
        return pid;
    }
    /* Nothing of the workload ran: the child is reaped here, before the supervisor exists. */
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    return -1;
}
