# The workload of ./build.sh vm-demo: PID 1 of the VM is the init, this runs under it.
echo "--- PID 1 is: $(tr '\0' ' ' </proc/1/cmdline); kernel $(uname -r)"
echo "--- kernel command line: $(cat /proc/cmdline)"
echo "--- what the init mounted ([system]: the standard set and the spec's tmpfs)"
grep -vE '^(rootfs|none) ' /proc/mounts
echo "--- the modules it loaded (the NIC driver and its dependencies)"
cut -d' ' -f1 /proc/modules
echo "--- the network from the spec"
ip -4 addr show eth0
ip route
ping -c1 -W2 10.200.239.1 | grep "bytes from"
echo "--- hostname $(hostname); /etc/resolv.conf:"
cat /etc/resolv.conf
echo "--- the workload exits with status 3: the init prints it as one line, syncs and powers the VM off"
exit 3
