/*
 * What the init needs from below the runtime, in C because managed code runs too late or cannot do it:
 * the raw argv and envp, the awaited signals blocked before the runtime makes its threads, a word when the
 * runtime itself cannot start, and keeping kill()ed SEGV/FPE away from the runtime's fault handlers.
 *
 * The process's argv and envp exactly as the kernel laid them out, for the C# side to read.
 *
 * Why C: .NET hands Main only UTF-8-decoded strings (an invalid byte becomes U+FFFD) and reads the environment
 * into a dictionary (entries without '=' and duplicates dropped, order lost); an init must pass both through
 * byte for byte. glibc calls every .init_array constructor with (argc, argv, envp) before main, also in a
 * static executable, so this needs neither /proc (absent in a bare chroot) nor the runtime's internals.
 * The pointers stay valid: argv and envp live on the initial stack for the life of the process, and nothing
 * in the init changes the environment (no setenv/unsetenv/putenv), so the saved envp is the container's.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "native.h"

static int startup_argc;
static char **startup_argv;
static char **startup_envp;

__attribute__((constructor)) static void save_startup_vectors(int argc, char **argv, char **envp)
{
    startup_argc = argc;
    startup_argv = argv;
    startup_envp = envp;
}

int init_startup_argc(void) { return startup_argc; }

/*
 * The signals the init awaits (Signals.Awaited in init/Supervisor/Signals.cs: 1..31 but KILL and STOP, and
 * SIGRTMIN+1..64), blocked here, before the runtime starts: every thread it creates (the finalizer thread first)
 * inherits the mask, so no thread of the init can ever take a forwarded signal with its default action, and a
 * stop request sent while the runtime starts waits, queued, for the supervisor. glibc keeps 32 and 33, the runtime
 * takes 34 (SIGRTMIN) to suspend threads for the GC: those stay open. Signals.TakeOver reopens SEGV and FPE in
 * the main thread alone, for the runtime's fault handling. The container's mask is saved for the workload.
 */
static sigset_t container_mask;

__attribute__((constructor)) static void block_awaited_signals(void)
{
    sigset_t awaited;
    sigemptyset(&awaited);
    for (int signal = 1; signal < 32; signal++)
        if (signal != SIGKILL && signal != SIGSTOP) sigaddset(&awaited, signal);
    for (int signal = SIGRTMIN + 1; signal <= SIGRTMAX; signal++) sigaddset(&awaited, signal);
    pthread_sigmask(SIG_BLOCK, &awaited, &container_mask); /* cannot fail with these arguments */
}

/* The signal mask the container started the init with (all of sigset_t's bytes). */
void init_startup_signal_mask(sigset_t *mask) { *mask = container_mask; }

/*
 * The signals the container ignored, for the workload to get back. Read here because the runtime changes them
 * before Main (it ignores SIGPIPE): here they are still exactly what the container gave. One read of
 * /proc/self/status; without /proc (a VM's PID 1 boots without it) a query per signal.
 */
static uint64_t container_ignored;

__attribute__((constructor)) static void save_ignored_signals(void)
{
    uint64_t caught;
    if (init_read_signal_dispositions(&container_ignored, &caught) == 0) return;
    container_ignored = 0;
    for (int signal = 1; signal <= 64; signal++) {
        struct sigaction action;
        /* glibc refuses its own 32 and 33 (EINVAL): not the container's anyway. */
        if (sigaction(signal, NULL, &action) == 0 && action.sa_handler == SIG_IGN)
            container_ignored |= INIT_SIGNAL_BIT(signal);
    }
}

/* Bit N-1: signal N was ignored when the container started the init. */
uint64_t init_startup_ignored_signals(void) { return container_ignored; }

/* NULL-terminated, argv[0] first. */
char **init_startup_argv(void) { return startup_argv; }

/* NULL-terminated; NULL if glibc did not pass it (never on Linux). */
char **init_startup_envp(void) { return startup_envp; }

/*
 * When the runtime cannot start (its finalizer thread fails under pids.max = 1, say), NativeAOT's main returns -1
 * without a word: exit 255, indistinguishable from a workload's status. Managed Main reports that it ran; if it
 * never did, this destructor names the cause in one line and exits with the contract's 126 (nothing of the
 * workload ran). A thread it tries to create itself tells whether a process limit is the cause.
 */
static volatile int managed_main_started;

void init_startup_main_started(void) { managed_main_started = 1; }

static void *nothing(void *argument) { return argument; }

static void say(const char *line)
{
    for (size_t done = 0, length = strlen(line); done < length;) {
        ssize_t written = write(2, line + done, length - done);
        if (written > 0) done += (size_t)written;
        else if (written < 0 && errno == EINTR) continue;
        else return;
    }
}

__attribute__((destructor)) static void explain_failed_runtime_start(void)
{
    if (managed_main_started) return;
    pthread_t thread;
    int error = pthread_create(&thread, NULL, nothing, NULL);
    if (error == 0) pthread_join(thread, NULL);
    say(error == EAGAIN
        ? "init: error: the .NET runtime could not start: cannot create a thread: Resource temporarily unavailable "
          "(EAGAIN): a process limit is reached (the cgroup's pids.max or RLIMIT_NPROC)\n"
        : "init: error: the .NET runtime could not start\n");
    _exit(126);
}

/*
 * SEGV and FPE sent with kill(2), not raised by a fault. The main thread leaves both unblocked so that the
 * runtime can turn the init's own faults into exceptions; one sent by a process while that thread runs (rather
 * than waits in sigtimedwait) would reach the runtime's handler, which does not know it: measured, the first is
 * dropped and the handler restores SIG_DFL, so the next one kills the init. This wrapper, installed over the
 * runtime's handlers once they are in place, keeps sent ones away from the runtime: it notes the signal and
 * its sender for the supervisor and wakes it with a SIGCHLD (blocked everywhere, so it waits for sigtimedwait).
 * Real faults (si_code > 0) go to the runtime's handler as before. Async-signal-safe: atomics and kill only.
 */
static struct sigaction runtime_actions[NSIG];
static int sent_fault_senders[NSIG]; /* sender pid + 1 while one is noted, 0 when none */

static void divert_sent_faults(int signal, siginfo_t *info, void *context)
{
    if (info->si_code <= 0) {
        __atomic_store_n(&sent_fault_senders[signal], info->si_pid + 1, __ATOMIC_SEQ_CST);
        int saved = errno;
        kill(getpid(), SIGCHLD);
        errno = saved;
        return;
    }
    const struct sigaction *runtime = &runtime_actions[signal];
    if (runtime->sa_flags & SA_SIGINFO)
        runtime->sa_sigaction(signal, info, context);
    else if (runtime->sa_handler != SIG_DFL && runtime->sa_handler != SIG_IGN)
        runtime->sa_handler(signal);
    else
        sigaction(signal, &(struct sigaction){ .sa_handler = SIG_DFL }, NULL); /* the fault recurs and kills */
}

/* Installs the wrapper over the current (the runtime's) handler of signal; 0 or an errno. */
int init_divert_sent_signal(int signal)
{
    if (signal <= 0 || signal >= NSIG) return EINVAL;
    struct sigaction wrapper;
    if (sigaction(signal, NULL, &runtime_actions[signal]) != 0) return errno;
    wrapper = runtime_actions[signal];
    wrapper.sa_sigaction = divert_sent_faults;
    wrapper.sa_flags |= SA_SIGINFO;
    return sigaction(signal, &wrapper, NULL) == 0 ? 0 : errno;
}

/* Takes the noted send of signal: the sender's pid, or -1 when there is none. */
int init_take_sent_signal(int signal)
{
    if (signal <= 0 || signal >= NSIG) return -1;
    return __atomic_exchange_n(&sent_fault_senders[signal], 0, __ATOMIC_SEQ_CST) - 1;
}
