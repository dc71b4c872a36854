/*
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
#include <string.h>
#include <unistd.h>

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
