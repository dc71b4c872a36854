/*
 * Every architecture-dependent number the init and the netlink library use from libc and the kernel, as the C
 * headers of one target say: compiled for x86-64 and for arm64 by LayoutTests, which compares the two outputs
 * and the host's with the C# declarations (init/Interop/Libc.cs, netlink/Interop/Libc.cs).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/input.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "../../../init/Native/native.h"

#define SIZE(t) printf("sizeof(%s) %zu\n", #t, sizeof(t))
#define OFFSET(t, f) printf("offsetof(%s, %s) %zu\n", #t, #f, offsetof(t, f))
#define VALUE(c) printf("%s %ld\n", #c, (long)(c))
#define SYSCALL(n) printf("syscall %s %ld\n", #n, (long)SYS_##n)

int main(void)
{
    SIZE(struct sigaction); OFFSET(struct sigaction, sa_mask); OFFSET(struct sigaction, sa_flags);
    OFFSET(struct sigaction, sa_restorer);
    SIZE(sigset_t); SIZE(siginfo_t);
    OFFSET(siginfo_t, si_signo); OFFSET(siginfo_t, si_code); OFFSET(siginfo_t, si_pid);
    SIZE(struct init_spawn_request); OFFSET(struct init_spawn_request, dropped_capabilities);
    OFFSET(struct init_spawn_request, candidate_count); OFFSET(struct init_spawn_request, no_new_privileges);
    SIZE(struct init_spawn_failure); VALUE(INIT_SPAWN_EXEC);
    SIZE(struct statx); OFFSET(struct statx, stx_mode);
    OFFSET(struct dirent, d_name);
    SIZE(struct timespec); SIZE(struct pollfd);
    SIZE(struct input_event); OFFSET(struct input_event, type); OFFSET(struct input_event, value);
    SIZE(struct sockaddr_nl); SIZE(struct iovec); SIZE(struct msghdr); OFFSET(struct msghdr, msg_iov);
    OFFSET(struct msghdr, msg_control); OFFSET(struct msghdr, msg_flags);

    VALUE(SIG_BLOCK); VALUE(SIG_UNBLOCK); VALUE(WNOHANG); VALUE(SIGBUS); VALUE(SIGUSR1); VALUE(SIGCHLD); VALUE(SIGSTKFLT); VALUE(SIGPWR);
    VALUE(SIGSYS); VALUE(SIGTSTP); VALUE(SIGURG); VALUE(SIGIO); VALUE(SIGWINCH); VALUE(__SIGRTMIN); VALUE(SIGRTMIN);
    VALUE(_NSIG);
    VALUE(O_WRONLY); VALUE(O_RDWR); VALUE(O_CREAT); VALUE(O_NOCTTY); VALUE(O_TRUNC); VALUE(O_NONBLOCK); VALUE(O_CLOEXEC);
    VALUE(AT_FDCWD); VALUE(AT_EMPTY_PATH); VALUE(STATX_TYPE); VALUE(F_OK); VALUE(X_OK);
    VALUE(PR_SET_PDEATHSIG); VALUE(PR_SET_CHILD_SUBREAPER);
    VALUE(EFD_NONBLOCK); VALUE(EFD_CLOEXEC); VALUE(POLLIN);
    VALUE(MS_RDONLY); VALUE(MS_NOSUID); VALUE(MS_NODEV); VALUE(MS_NOEXEC); VALUE(MS_REMOUNT); VALUE(MS_BIND);
    VALUE(MS_MOVE); VALUE(MS_REC); VALUE(MS_RELATIME); VALUE(MS_LAZYTIME); VALUE(RB_POWER_OFF); VALUE(RB_DISABLE_CAD);
    VALUE(EV_KEY); VALUE(KEY_POWER);
    VALUE(AF_NETLINK); VALUE(SOCK_RAW); VALUE(SOCK_CLOEXEC); VALUE(SOL_NETLINK); VALUE(NETLINK_ADD_MEMBERSHIP);
    VALUE(NETLINK_CAP_ACK); VALUE(NETLINK_EXT_ACK); VALUE(NETLINK_GET_STRICT_CHK); VALUE(SOL_SOCKET); VALUE(SO_RCVBUF);
    VALUE(MSG_PEEK); VALUE(MSG_TRUNC); VALUE(MSG_DONTWAIT); VALUE(CLONE_NEWNET);

    /* Differ by design: the init picks them by the architecture it runs on. */
    SYSCALL(finit_module); SYSCALL(rt_sigqueueinfo);
    return 0;
}
