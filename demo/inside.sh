# Runs inside the demo container (busybox sh, fed on stdin by ./build.sh demo).
processes() {  # pid ppid state name, straight from /proc (the loop runs in this shell: no extra process)
  echo "  PID  PPID STATE NAME"
  for d in /proc/[0-9]*; do
    read -r pid name state ppid rest <"$d/stat" 2>/dev/null && printf '%5s %5s %-5s %s\n' "$pid" "$ppid" "$state" "$name"
  done
}
echo "--- PID 1 is: $(tr '\0' ' ' </proc/1/cmdline)"
echo "--- addresses and routes (the network spec is applied by the init once the network issue lands; today docker set these)"
ip addr show eth0
ip route
echo "--- a child shell starts 'sleep 0.3' in the background and exits at once: the sleep is orphaned to PID 1"
sh -c 'sleep 0.3 & echo "orphan pid $!"'
processes
sleep 0.6
echo "--- 0.6 s later the orphan has exited and PID 1 has reaped it (no zombie 'Z' left)"
processes
echo "--- the workload exits with status 3"
exit 3
