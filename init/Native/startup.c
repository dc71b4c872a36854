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
