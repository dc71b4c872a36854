/*
 * The stop watcher's thread (init/Supervisor/StopWatcher.cs says what it is for): it polls a signalfd of the stop
 * requests and an eventfd that ends it, and hands each stop request it takes to a managed callback.
 *
 * Why a plain thread and not a managed one: a managed thread costs the runtime's thread set-up on every start with
 * a network spec (~40 syscalls, ~130 K instructions: its allocation context, the start handshake the creator
 * spins on), and the watcher nearly always only waits. This one enters managed code only when a stop request
 * comes (the runtime then attaches it for the callback). One watch at a time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "native.h"

static struct {
    int requests; /* signalfd of the stop requests (they stay blocked: a signalfd dequeues like sigtimedwait) */
    int end;      /* eventfd: readable once the set-up is over */
    init_stop_callback on_stop;
    pthread_t thread;
} watch = { .requests = -1, .end = -1 };

static void *watch_for_stop_requests(void *unused)
{
    /* The main thread leaves SEGV and FPE open for the runtime; this thread must not take a kill()ed one. */
    sigset_t faults;
    sigemptyset(&faults);
    sigaddset(&faults, SIGSEGV);
    sigaddset(&faults, SIGFPE);
    pthread_sigmask(SIG_BLOCK, &faults, NULL);
    struct pollfd fds[2] = { { .fd = watch.requests, .events = POLLIN }, { .fd = watch.end, .events = POLLIN } };
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return unused; /* cannot wait: a stop request is then obeyed when the set-up ends */
        }
        if (fds[1].revents != 0) return unused;
        struct signalfd_siginfo info;
        if (read(watch.requests, &info, sizeof info) != (ssize_t)sizeof info) continue; /* EAGAIN: taken already */
        /* Several queued at once come lowest first, as from sigtimedwait (only when they came in the same instant). */
        if (watch.on_stop((int32_t)info.ssi_signo, info.ssi_code, (int32_t)info.ssi_pid)) return unused;
    }
}

int init_stop_watch_start(const uint64_t *requests, init_stop_callback on_stop)
{
    sigset_t mask;
    sigemptyset(&mask);
    for (int signal = 1; signal <= 64; signal++)
        if (*requests & INIT_SIGNAL_BIT(signal)) sigaddset(&mask, signal);
    watch.on_stop = on_stop;
    watch.requests = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (watch.requests < 0) return errno;
    watch.end = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    int error = watch.end < 0 ? errno : 0;
    if (error == 0) error = pthread_create(&watch.thread, NULL, watch_for_stop_requests, NULL);
    if (error != 0) {
        close(watch.requests);
        if (watch.end >= 0) close(watch.end);
        watch.requests = watch.end = -1;
    }
    return error;
}

void init_stop_watch_end(void)
{
    uint64_t one = 1;
    while (write(watch.end, &one, sizeof one) < 0 && errno == EINTR) {}
    pthread_join(watch.thread, NULL);
    close(watch.requests);
    close(watch.end);
    watch.requests = watch.end = -1;
}
