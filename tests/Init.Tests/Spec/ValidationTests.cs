using Xunit;

namespace Init.Tests.Spec;

/// <summary>Every kind of invalid input, with its exact message and position.</summary>
public class ValidationTests
{
    [Theory]
    // TOML itself
    [InlineData("a = \n", "1:5: toml: Unexpected token end-of-line found while expecting a value")]
    [InlineData("hostname = \"a\"\nhostname = \"b\"\n", "2:1: hostname: already defined at 1:1")]
    [InlineData("[dns]\n[dns]", "2:2: dns: already defined at 1:2")]
    [InlineData("[a.b]\n[a]\n[a]", "3:2: a: already defined at 2:2")]
    [InlineData("[workload.env]\nA = \"1\"\n[workload]\nenv.B = \"2\"", "4:1: workload.env.B: already defined at 1:11")]
    [InlineData("workload.env.A = \"1\"\n[workload.env]", "2:11: workload.env: already defined at 1:10")]
    [InlineData("workload = { env = {} }\n[workload.env]", "2:2: workload.env: already defined at 1:12")]
    [InlineData("workload = { env.A = \"1\" }\nworkload.env.B = \"2\"", "2:1: workload.env.B: already defined at 1:12")]
    [InlineData("interface = []\n[[interface]]", "2:3: interface: already defined at 1:1")]
    [InlineData("a = [1,", "1:7: toml: Unexpected token `<eof>` for a value\n1:7: toml: Unexpected token `<eof>` (token: `Eof`). Expecting a closing `]` for an array")]
    [InlineData("x = 1\na = [\n  1,\n\n", "3:4: toml: Unexpected token `<eof>` for a value\n3:4: toml: Unexpected token `<eof>` (token: `Eof`). Expecting a closing `]` for an array")]
    [InlineData("a = [\n1,\n2", "3:1: toml: Unexpected token `<eof>` (token: `Eof`). Expecting a closing `]` for an array")]
    // top level
    [InlineData("version = 2", "1:11: version: unsupported version 2: this init reads version 1")]
    [InlineData("version = \"1\"", "1:11: version: expected the integer 1, got a string")]
    [InlineData("hostnme = \"a\"", "1:1: hostnme: unknown key; did you mean \"hostname\"?")]
    [InlineData("[interface]\nname = \"eth0\"", "1:1: interface: expected an array of tables, got a table: write [[interface]]")]
    [InlineData("[[interface]]\nname = \"eth0\"\n[interface.route]\nto = \"default\"", "3:1: interface[0].route: expected an array of tables, got a table: write [[interface.route]]")]
    [InlineData("interfaces = []", "1:1: interfaces: unknown key; did you mean \"interface\"?")]
    [InlineData("hostanme = \"a\"", "1:1: hostanme: unknown key; did you mean \"hostname\"?")]
    [InlineData("[loopbak]\naddresses = []", "1:2: loopbak: unknown key; did you mean \"loopback\"?")]
    [InlineData("frobnicate = 1", "1:1: frobnicate: unknown key")]
    [InlineData("hostname = \"-api\"", "1:12: hostname: \"-api\" is not a valid name: a label cannot start or end with '-'")]
    [InlineData("hostname = \"api_1\"", "1:12: hostname: \"api_1\" is not a valid name: it contains '_' (letters, digits, '-' and '.' only)")]
    [InlineData("hostname = \"a\\nb\"", "1:12: hostname: \"a\\nb\" is not a valid name: it contains U+000A (letters, digits, '-' and '.' only)")]
    [InlineData("a = \"\\u00", "1:9: toml: Unexpected escape character [\\n] in string. Only b t n f r e \\ \" xHH u0000-uFFFF U00000000-UFFFFFFFF are allowed\n1:9: toml: Invalid newline in a string\n1:9: toml: Invalid End-Of-File found on string literal")]
    [InlineData("hostname = 7", "1:12: hostname: expected a string, got an integer")]
    // [dns]
    [InlineData("[dns]\nsearch = [\"a\"]", "1:1: dns.nameservers: missing: [dns] replaces /etc/resolv.conf, which needs at least one nameserver")]
    [InlineData("[dns]\nnameservers = [\"10.0.0.256\"]", "2:16: dns.nameservers[0]: \"10.0.0.256\" is not an IP address")]
    [InlineData("[dns]\nnameservers = [\"10.1\"]", "2:16: dns.nameservers[0]: \"10.1\" is not an IP address")]
    [InlineData("[dns]\nnameservers = [\"fe80::1\"]", "2:16: dns.nameservers[0]: fe80::1 is link-local: resolv.conf would need a zone; use a routable address")]
    [InlineData("[dns]\nnameservers = [\"::ffff:10.0.0.1\"]", "2:16: dns.nameservers[0]: \"::ffff:10.0.0.1\" is an IPv4-mapped IPv6 address; write 10.0.0.1")]
    [InlineData("[dns]\nnameservers = [\"1.1.1.1\", \"1.1.1.1\"]", "2:27: dns.nameservers[1]: duplicate of dns.nameservers[0]")]
    [InlineData("[dns]\nnameservers = [\"1.1.1.1\", \"1.0.0.1\", \"8.8.8.8\", \"8.8.4.4\"]", "2:15: dns.nameservers: give 1 to 3 nameservers (the resolver ignores the rest)")]
    [InlineData("[dns]\nnameservers = [\"1.1.1.1\"]\noptions = [\"ndot:2\"]", "3:12: dns.options[0]: \"ndot:2\" is not a resolver option; did you mean \"ndots\"?")]
    [InlineData("[dns]\nnameservers = [\"1.1.1.1\"]\noptions = [\"ndots:99\"]", "3:12: dns.options[0]: \"ndots:99\": ndots takes a number 0..15 (\"ndots:2\")")]
    [InlineData("[dns]\nnameservers = [\"1.1.1.1\"]\noptions = [\"rotate:1\"]", "3:12: dns.options[0]: \"rotate:1\": rotate takes no value")]
    [InlineData("[dns]\nnameservers = [\"1.1.1.1\"]\nsearch = [\"a..b\"]", "3:11: dns.search[0]: \"a..b\" is not a valid name: each dot-separated label must be 1 to 63 characters")]
    // [hosts]
    [InlineData("[hosts]\nentries = [{ ip = 10, names = [\"a\"] }]", "2:19: hosts.entries[0].ip: expected a string, got an integer")]
    [InlineData("[hosts]\nentries = [{ names = [\"a\"] }]", "2:12: hosts.entries[0].ip: missing (the address the names resolve to)")]
    [InlineData("[hosts]\nentries = [{ ip = \"10.0.0.1\" }]", "2:12: hosts.entries[0].names: give at least one name")]
    [InlineData("[hosts]\nentries = [{ ip = \"10.0.0.1/24\", names = [\"a\"] }]", "2:19: hosts.entries[0].ip: \"10.0.0.1/24\" is not an IP address")]
    [InlineData("[hosts]\nentries = [{ ip = \"10.0.0.1\", name = [\"a\"] }]", "2:12: hosts.entries[0].names: give at least one name\n2:31: hosts.entries[0].name: unknown key; did you mean \"names\"?")]
    [InlineData("[[hosts.entries]]\nip = \"10.0.0.1\"\nnames = [\"a\"]\n[[hosts.entries]]\nip = \"10.0.0.1\"\nnames = [\"b\"]", "4:1: hosts.entries[1]: duplicate of hosts.entries[0]")]
    // [loopback]
    [InlineData("[loopback]\naddresses = [\"169.254.169.254\"]", "2:14: loopback.addresses[0]: \"169.254.169.254\" is not address/prefix-length (e.g. \"10.0.0.10/24\")")]
    [InlineData("[loopback]\naddresses = [\"10.0.0.1/33\"]", "2:14: loopback.addresses[0]: \"10.0.0.1/33\": the prefix length must be 0..32")]
    [InlineData("[loopback]\naddresses = [\"10.0.0.0/24\"]", "2:14: loopback.addresses[0]: 10.0.0.0/24 is the network address of 10.0.0.0/24; an interface address needs host bits")]
    [InlineData("[loopback]\naddresses = [\"224.0.0.1/32\"]", "2:14: loopback.addresses[0]: 224.0.0.1 cannot be assigned to an interface")]
    // [[interface]]: matching and names
    [InlineData("[[interface]]\nmtu = 1500", "1:1: interface[0]: needs name = \"…\" or match = { mac = \"…\" }")]
    [InlineData("[[interface]]\nname = \"eth0\"\nmatch = { mac = \"02:42:ac:11:00:02\" }", "1:1: interface[0]: has both name and match: give exactly one")]
    [InlineData("[[interface]]\nname = \"a-name-too-long-for-linux\"", "2:8: interface[0].name: \"a-name-too-long-for-linux\" is not a link name: it must be 1 to 15 bytes")]
    [InlineData("[[interface]]\nname = \"eth 0\"", "2:8: interface[0].name: \"eth 0\" is not a link name: it contains U+0020")]
    [InlineData("[[interface]]\nname = \"eth0:1\"", "2:8: interface[0].name: \"eth0:1\" is not a link name: it contains ':'")]
    [InlineData("[[interface]]\nname = \"..\"", "2:8: interface[0].name: \"..\" is not a link name")]
    [InlineData("[[interface]]\nname = \"lo\"", "2:8: interface[0].name: lo is configured under [loopback]")]
    [InlineData("[[interface]]\nname = \"eth0\"\nrename = \"all\"", "3:10: interface[0].rename: \"all\" is not a link name: the kernel reserves it (/proc/sys/net/ipv4/conf/all)")]
    [InlineData("[[interface]]\nname = \"default\"", "2:8: interface[0].name: \"default\" is not a link name: the kernel reserves it (/proc/sys/net/ipv4/conf/default)")]
    [InlineData("[[interface]]\nname = \"eth0\"\nrename = \"eth%d\"", "3:10: interface[0].rename: \"eth%d\" is not a link name: it contains '%'")]
    [InlineData("[[interface]]\nname = \"eth0\"\n[[interface]]\nname = \"eth0\"", "4:8: interface[1].name: link name \"eth0\" is already used by interface[0]")]
    [InlineData("[[interface]]\nname = \"eth0\"\nrename = \"eth1\"\n[[interface]]\nname = \"eth1\"", "5:8: interface[1].name: link name \"eth1\" is already used by interface[0]")]
    [InlineData("[[interface]]\nmatch = { mac = \"02:42:ac:11:00:02\" }\n[[interface]]\nmatch = { mac = \"02:42:AC:11:00:02\" }", "4:17: interface[1].match.mac: duplicate of interface[0].match.mac")]
    [InlineData("[[interface]]\nmatch = { mac = \"01:00:5e:00:00:01\" }", "2:17: interface[0].match.mac: 01:00:5e:00:00:01 is a multicast MAC address; a link needs a unicast one (lowest bit of the first octet 0)")]
    [InlineData("[[interface]]\nmatch = { mak = \"02:42:ac:11:00:02\" }", "2:9: interface[0].match.mac: missing: match by MAC needs mac = \"…\"\n2:11: interface[0].match.mak: unknown key; did you mean \"mac\"?")]
    [InlineData("[[interface]]\nname = \"eth0\"\nmac = \"02:42:ac:11:00\"", "3:7: interface[0].mac: \"02:42:ac:11:00\" is not a MAC address (six hex octets: \"02:42:ac:11:00:02\")")]
    // [[interface]]: link settings
    [InlineData("[[interface]]\nname = \"eth0\"\nmtu = 67", "3:7: interface[0].mtu: 67 is out of range 68..65535")]
    [InlineData("[[interface]]\nname = \"eth0\"\nmtu = 1279\naddresses = [\"2001:db8::10/64\"]", "3:7: interface[0].mtu: 1279 is below 1280, the IPv6 minimum, and eth0 has IPv6 address 2001:db8::10/64")]
    [InlineData("[[interface]]\nname = \"eth0\"\nmtu = 1500.0", "3:7: interface[0].mtu: expected an integer, got a float")]
    [InlineData("[[interface]]\nname = \"eth0\"\nwait = \"carier\"", "3:8: interface[0].wait: \"carier\" is not one of \"none\", \"link\", \"carrier\"; did you mean \"carrier\"?")]
    [InlineData("[[interface]]\nname = \"eth0\"\nwait_timeout = \"5 s\"", "3:16: interface[0].wait_timeout: \"5 s\" is not a duration (a whole number with ms, s or m: \"250ms\", \"5s\", \"1m\")")]
    [InlineData("[[interface]]\nname = \"eth0\"\nwait_timeout = \"0s\"", "3:16: interface[0].wait_timeout: must be longer than 0")]
    [InlineData("[[interface]]\nname = \"eth0\"\nflush = \"yes\"", "3:9: interface[0].flush: expected a boolean, got a string")]
    [InlineData("[[interface]]\nname = \"eth0\"\nadresses = [\"10.0.0.10/24\"]", "3:1: interface[0].adresses: unknown key; did you mean \"addresses\"?")]
    // addresses
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10\"]", "3:14: interface[0].addresses[0]: \"10.0.0.10\" is not address/prefix-length (e.g. \"10.0.0.10/24\")")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/0\"]", "3:14: interface[0].addresses[0]: \"10.0.0.10/0\": /0 is not a prefix an address can be on")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.255/24\"]", "3:14: interface[0].addresses[0]: 10.0.0.255/24 is the broadcast address of 10.0.0.0/24; an interface address needs host bits")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.address]]\naddress = \"10.0.0.10/16\"", "5:11: interface[0].address[0].address: duplicate of interface[0].addresses[0]")]
    [InlineData("[[interface]]\nname = \"eth0\"\n[[interface.address]]\npeer = \"10.0.0.1\"", "3:1: interface[0].address[0].address: missing (e.g. address = \"10.0.0.10/24\")")]
    [InlineData("[[interface]]\nname = \"eth0\"\n[[interface.address]]\naddress = \"10.0.0.2/32\"\npeer = \"10.0.0.1/24\"", "5:8: interface[0].address[0].peer: /24 differs from the address's /32: a point-to-point address has one prefix length")]
    [InlineData("[[interface]]\nname = \"eth0\"\n[[interface.address]]\naddress = \"10.0.0.2/32\"\npeer = \"2001:db8::1/32\"", "5:8: interface[0].address[0].peer: 2001:db8::1 is IPv6 but the address is IPv4")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"::1/128\", \"127.0.0.2/8\"]", "3:14: interface[0].addresses[0]: ::1 is a loopback address: put it under [loopback]\n3:25: interface[0].addresses[1]: 127.0.0.2 is a loopback address: put it under [loopback]")]
    [InlineData("[[interface]]\nname = \"eth0\"\n[[interface.address]]\naddress = \"10.0.0.2/24\"\ndad = true", "5:7: interface[0].address[0].dad: DAD is IPv6 only: IPv4 addresses are never tentative")]
    // routes
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nvia = \"10.0.0.1\"", "4:1: interface[0].route[0].to: missing: \"default\" or a prefix such as \"198.51.100.0/24\"")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"defualt\"\nvia = \"10.0.0.1\"", "5:6: interface[0].route[0].to: \"defualt\" is not address/prefix-length (e.g. \"10.0.0.10/24\"); did you mean \"default\"?")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"198.51.100.1/24\"\nvia = \"10.0.0.1\"", "5:6: interface[0].route[0].to: 198.51.100.1/24 has host bits set; did you mean 198.51.100.0/24?")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"2001:db8::/32\"\nvia = \"10.0.0.1\"", "6:7: interface[0].route[0].via: 10.0.0.1 is IPv4 but the destination is IPv6")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.10\"", "6:7: interface[0].route[0].via: gateway 10.0.0.10 is an address of eth0 itself")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\nmetric = -1", "7:10: interface[0].route[0].metric: -1 is out of range 0..4294967295")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\ntable = \"mian\"", "7:9: interface[0].route[0].table: \"mian\" is not one of \"main\", \"local\"; did you mean \"main\"?")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\ntable = 0", "7:9: interface[0].route[0].table: 0 is out of range 1..4294967295")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\ntable = true", "7:9: interface[0].route[0].table: expected \"main\", \"local\" or a number, got a boolean")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\nsrc = \"10.0.0.11\"", "7:7: interface[0].route[0].src: 10.0.0.11 is not an address of eth0")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\", \"2001:db8::10/64\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\nsrc = \"2001:db8::10\"", "7:7: interface[0].route[0].src: 2001:db8::10 is IPv6 but the route is IPv4")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\nscope = \"link\"", "7:9: interface[0].route[0].scope: a route with a gateway has scope global")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"10.1.0.0/16\"\nscope = \"site\"", "6:9: interface[0].route[0].scope: \"site\" is not one of \"global\", \"link\", \"host\"")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"10.1.0.0/16\"\nonlink = true", "6:10: interface[0].route[0].onlink: onlink applies to a gateway: set via too")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\n[[interface.route]]\nto = \"0.0.0.0/0\"\nvia = \"10.0.0.2\"", "7:1: interface[0].route[1]: same destination, table and metric as interface[0].route[0]: the kernel keeps only one")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.255\"", "6:7: interface[0].route[0].via: gateway 10.0.0.255 is the broadcast address of 10.0.0.0/24")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"192.0.2.0/24\"\ntable = 50\n[[interface.route]]\nto = \"default\"\nvia = \"192.0.2.1\"", "9:7: interface[0].route[1].via: gateway 192.0.2.1 is not inside any prefix on eth0 (10.0.0.0/24); set onlink = true if it is on the link")]
    [InlineData("[[interface]]\nname = \"eth0\"\n[[interface.route]]\nto = \"2001:db8:5::/48\"\nmetric = 0\n[[interface]]\nname = \"eth1\"\n[[interface.route]]\nto = \"2001:db8:5::/48\"", "8:1: interface[1].route[0]: same destination, table and metric as interface[0].route[0]: the kernel keeps only one")]
    // a gateway outside every prefix, without onlink
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"192.0.2.1\"", "6:7: interface[0].route[0].via: gateway 192.0.2.1 is not inside any prefix on eth0 (10.0.0.0/24); set onlink = true if it is on the link")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"2001:db8::1\"", "6:7: interface[0].route[0].via: gateway 2001:db8::1 is not inside any prefix on eth0 (it has no IPv6 address); set onlink = true if it is on the link")]
    // [workload]
    [InlineData("[workload]\ncommand = []", "2:11: workload.command: must not be empty: give the program to run")]
    [InlineData("[workload]\ncommand = \"/app/server\"", "2:11: workload.command: expected an array, got a string")]
    [InlineData("[workload]\ncommand = [\"/app\", 8080]", "2:20: workload.command[1]: expected a string, got an integer")]
    [InlineData("[workload]\nenv = { PORT = 8080 }", "2:16: workload.env.PORT: expected a string, got an integer (quote it: \"8080\")")]
    [InlineData("[workload]\nenv = { \"A=B\" = \"1\" }", "2:9: workload.env.A=B: \"A=B\" is not an environment variable name (not empty, no '=')")]
    [InlineData("[workload]\nworkdir = \"app\"", "2:11: workload.workdir: \"app\" is not an absolute path")]
    [InlineData("[workload]\nuser = \"app:staff:x\"", "2:8: workload.user: \"app:staff:x\" is not a user: expected name, uid, uid:gid or name:group")]
    [InlineData("[workload]\nuser = \"4294967295\"", "2:8: workload.user: \"4294967295\" is not a user: \"4294967295\" is neither a number 0..4294967294 nor a name (letters, digits, '_', '-', '.', not starting with a digit or '-')")]
    [InlineData("[workload]\ndrop_capabilities = [\"NET_ADMN\"]", "2:22: workload.drop_capabilities[0]: \"NET_ADMN\" is not a capability; did you mean \"NET_ADMIN\"?")]
    [InlineData("[workload]\ndrop_capabilities = [\"ALL\", \"NET_RAW\"]", "2:22: workload.drop_capabilities[0]: \"ALL\" already drops every capability: list it alone")]
    [InlineData("[workload]\ndrop_capabilities = [\"NET_RAW\", \"cap_net_raw\"]", "2:33: workload.drop_capabilities[1]: duplicate of workload.drop_capabilities[0]")]
    [InlineData("[workload]\nno_new_privileges = 1", "2:21: workload.no_new_privileges: expected a boolean, got an integer")]
    [InlineData("[workload]\ncomand = [\"/bin/true\"]", "2:1: workload.comand: unknown key; did you mean \"command\"?")]
    [InlineData("workload = 1", "1:12: workload: expected a table, got an integer")]
    // [init]
    [InlineData("[init]\ngrace = \"3\"", "2:9: init.grace: \"3\" is not a duration (a whole number with ms, s or m: \"250ms\", \"5s\", \"1m\")")]
    [InlineData("[init]\nremap_exit = [256]", "2:15: init.remap_exit[0]: 256 is out of range 0..255")]
    [InlineData("[init]\nremap_exit = [1, 1]", "2:18: init.remap_exit[1]: duplicate of init.remap_exit[0]")]
    [InlineData("[init]\nlog = \"verbose\"", "2:7: init.log: \"verbose\" is not one of \"error\", \"warn\", \"info\", \"debug\"")]
    [InlineData("[init]\nlog = \"INFO\"", "2:7: init.log: \"INFO\" is not one of \"error\", \"warn\", \"info\", \"debug\"; did you mean \"info\"?")]
    [InlineData("[init]\ngroup = \"true\"", "2:9: init.group: expected a boolean, got a string")]
    [InlineData("[init]\ngrup = true", "2:1: init.grup: unknown key; did you mean \"group\"?")]
    [InlineData("[init]\nrewrite = { KILL = \"TERM\" }", "2:13: init.rewrite.KILL: SIGKILL cannot be rewritten: it cannot be caught: the kernel acts on it, the init never receives it")]
    [InlineData("[init]\nrewrite = { CHLD = 0 }", "2:13: init.rewrite.CHLD: SIGCHLD cannot be rewritten: the init takes it as a child's exit; it is never forwarded")]
    [InlineData("[init]\nrewrite = { 34 = 0 }", "2:13: init.rewrite.34: SIGRTMIN cannot be rewritten: the .NET runtime uses it to suspend threads; the init never receives it")]
    [InlineData("[init]\nrewrite = { 33 = 0 }", "2:13: init.rewrite.33: SIG33 cannot be rewritten: glibc reserves it; the init never receives it")]
    [InlineData("[init]\nrewrite = { TREM = \"QUIT\" }", "2:13: init.rewrite.TREM: \"TREM\" is not a signal (a name like TERM or SIGTERM, RTMIN+N, a number 1..64); did you mean \"TERM\"?")]
    [InlineData("[init]\nrewrite = { TERM = \"QIUT\" }", "2:20: init.rewrite.TERM: \"QIUT\" is not a signal (a name like TERM or SIGTERM, RTMIN+N, a number 1..64, or 0 to drop it); did you mean \"QUIT\"?")]
    [InlineData("[init]\nrewrite = { TERM = 65 }", "2:20: init.rewrite.TERM: \"65\" is not a signal (a name like TERM or SIGTERM, RTMIN+N, a number 1..64, or 0 to drop it)")]
    [InlineData("[init]\nrewrite = { TERM = true }", "2:20: init.rewrite.TERM: expected a signal (a name or a number, 0 to drop), got a boolean")]
    [InlineData("[init]\nrewrite = { TERM = \"QUIT\", SIGTERM = 0 }", "2:28: init.rewrite.SIGTERM: duplicate of init.rewrite.TERM")]
    [InlineData("[init]\nrewrite = \"TERM:QUIT\"", "2:11: init.rewrite: expected a table, got a string")]
    [InlineData("[init]\npause = 1", "2:9: init.pause: expected a boolean, got an integer")]
    [InlineData("[init]\npuase = true", "2:1: init.puase: unknown key; did you mean \"pause\"?")]
    public void ReportsTheProblemAtItsPosition(string toml, string expected) =>
        Assert.Equal(expected.Split('\n'), SpecFile.Errors(toml));

    [Fact]
    public void DeepNestingIsAnErrorNotAStackOverflow()
    {
        string error = Assert.Single(SpecFile.Errors("a = " + new string('[', 100_000) + new string(']', 100_000)));

        Assert.Contains("toml: The maximum depth of 64 has been exceeded", error);
    }

    [Fact]
    public void ReportsEveryProblemAtOnceInFileOrder()
    {
        string[] errors = SpecFile.Errors("""
            version = 1
            hostname = "bad_name"
            [[interface]]
            name = "eth0"
            mtu = 10
            addresses = ["10.0.0.10/24"]
              [[interface.route]]
              to = "default"
              via = "192.0.2.1"
            [workload]
            user = ":"
            [init]
            log = "loud"
            """);

        Assert.Equal(
        [
            "2:12: hostname: \"bad_name\" is not a valid name: it contains '_' (letters, digits, '-' and '.' only)",
            "5:7: interface[0].mtu: 10 is out of range 68..65535",
            "9:9: interface[0].route[0].via: gateway 192.0.2.1 is not inside any prefix on eth0 (10.0.0.0/24); set onlink = true if it is on the link",
            "11:8: workload.user: \":\" is not a user: \"\" is neither a number 0..4294967294 nor a name (letters, digits, '_', '-', '.', not starting with a digit or '-')",
            "13:7: init.log: \"loud\" is not one of \"error\", \"warn\", \"info\", \"debug\"",
        ], errors);
    }

    [Fact]
    public void TheExceptionMessageIsOneLocatedErrorPerLine()
    {
        using var file = new SpecFile("hostnme = \"a\"\nversion = 3\n");
        var failure = Assert.Throws<Init.Spec.SpecException>(() => Init.Spec.SpecLoader.Load(file.Path, explicitlyNamed: true));

        Assert.Equal(
            $"{file.Path}:1:1: hostnme: unknown key; did you mean \"hostname\"?\n{file.Path}:2:11: version: unsupported version 3: this init reads version 1",
            failure.Message);
    }

    [Theory]
    // IPv6 link-local gateway needs no prefix; onlink lifts the check; a device route makes a gateway reachable
    [InlineData("addresses = [\"2001:db8::10/64\"]\n[[interface.route]]\nto = \"default\"\nvia = \"fe80::1\"")]
    [InlineData("addresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"192.0.2.1\"\nonlink = true")]
    [InlineData("addresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"192.0.2.0/24\"\n[[interface.route]]\nto = \"default\"\nvia = \"192.0.2.1\"")]
    [InlineData("addresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"192.0.2.0/24\"\n[[interface.route]]\nto = \"default\"\nvia = \"192.0.2.1\"\ntable = 7")]
    [InlineData("addresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"192.0.2.0/24\"\ntable = 7\n[[interface.route]]\nto = \"default\"\nvia = \"192.0.2.1\"\ntable = 7")]
    [InlineData("addresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.0\"")]
    // a peer's prefix is on the link; /31 and /32 have no broadcast and may use every address
    [InlineData("[[interface.address]]\naddress = \"192.0.2.2/32\"\npeer = \"192.0.2.1\"\n[[interface.route]]\nto = \"default\"\nvia = \"192.0.2.1\"")]
    [InlineData("addresses = [\"10.0.0.0/31\", \"10.0.1.1/32\"]")]
    // "default" without via is an IPv4 device route; "::/0" is the IPv6 one; the same default in two tables
    [InlineData("[[interface.route]]\nto = \"default\"\n[[interface.route]]\nto = \"::/0\"")]
    [InlineData("addresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.1\"\ntable = 100\n[[interface.route]]\nto = \"default\"\nvia = \"10.0.0.2\"\nmetric = 200\ntable = \"main\"")]
    [InlineData("addresses = [\"10.0.0.10/24\"]\n[[interface.route]]\nto = \"10.9.0.0/16\"\nscope = \"link\"\nsrc = \"10.0.0.10\"\ntable = \"local\"")]
    [InlineData("mtu = 1280\naddresses = [\"2001:db8::10/64\"]\nwait = \"carrier\"\nwait_timeout = \"250ms\"\nflush = false")]
    public void AcceptsWhatTheKernelAccepts(string interfaceBody)
    {
        var spec = SpecFile.Load($"[[interface]]\nname = \"eth0\"\n{interfaceBody}\n");

        Assert.Single(spec.Network!.Interfaces);
    }

    [Theory]
    [InlineData("user = \"app\"")]
    [InlineData("user = \"1000\"")]
    [InlineData("user = \"1000:1000\"")]
    [InlineData("user = \"app:staff\"")]
    [InlineData("user = \"_svc-1.x$:0\"")]
    [InlineData("env = { \"java.opts\" = \"-Xmx1g\", EMPTY = \"\" }")]
    [InlineData("drop_capabilities = []")]
    public void AcceptsWorkloadSettings(string line) => SpecFile.Load($"[workload]\n{line}\n");

    [Fact]
    public void CapabilityNamesAreCaseInsensitiveWithAnOptionalPrefix()
    {
        var spec = SpecFile.Load("[workload]\ndrop_capabilities = [\"cap_net_admin\", \"Sys_Admin\", \"NET_RAW\"]\n");

        Assert.Equal(["NET_ADMIN", "SYS_ADMIN", "NET_RAW"], spec.Workload.DropCapabilities);
        Assert.Equal(12, Init.Spec.Capabilities.Number("NET_ADMIN"));
    }
}
