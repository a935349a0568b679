#!/usr/bin/env bash
# Regenerates the seed corpus tests/Fuzz/corpus/<target>/: seeds built with the library (SshFuzz seeds) plus real
# ones from OpenSSH: ssh-keygen keys and certificates, the KEXINIT and key exchange packets of the ssh client, and
# sshd's KEXINIT. Inputs found by fuzzing that are worth keeping as seeds are named afl-* and survive a rerun.
# Run it when a parser learns a new format; commit the result. Needs openssh-client and openssh-server (sshd is
# only run in inetd mode on pipes, no port is opened).
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=tests/Fuzz/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seeds kept from fuzzing runs (afl-*) stay; everything generated is made anew.
find "$corpus" -type f ! -name 'afl-*' -delete 2>/dev/null || true
mkdir -p "$corpus"/{packet,kexinit,userauth,cert,pubkey,privkey}
dotnet build tests/Fuzz/SshFuzz/SshFuzz.csproj -c Release -nologo -v q >/dev/null
dotnet tests/Fuzz/SshFuzz/bin/Release/net10.0/SshFuzz.dll seeds "$corpus"

blob() { awk '{ print $2 }' "$1" | base64 -d; }              # the key or certificate in a .pub line
pem_body() { grep -v -- '-----' "$1" | tr -d '\n' | base64 -d; } # the DER / openssh-key-v1 bytes of a PEM file

for spec in ed25519 ecdsa:256 ecdsa:384 ecdsa:521 rsa:1024; do
  type=${spec%%:*}; bits=${spec#"$type"}; bits=${bits#:}; name=$type$bits
  ssh-keygen -q -t "$type" ${bits:+-b "$bits"} -N '' -C seed -f "$work/$name"
  blob "$work/$name.pub" > "$corpus/pubkey/keygen-$name"
  pem_body "$work/$name" > "$corpus/privkey/keygen-$name.bin"
done
for name in rsa1024 ecdsa256; do
  for format in PEM PKCS8; do
    cp "$work/$name" "$work/$name.$format"
    ssh-keygen -q -p -N '' -m "$format" -f "$work/$name.$format"
    cp "$work/$name.$format" "$corpus/privkey/keygen-$name.${format,,}"
  done
done

ssh-keygen -q -t ed25519 -N '' -f "$work/ca-ed25519"
ssh-keygen -q -t ecdsa -b 256 -N '' -f "$work/ca-ecdsa"
ssh-keygen -q -t rsa -b 1024 -N '' -f "$work/ca-rsa"
ssh-keygen -q -s "$work/ca-ed25519" -I alice@example -n alice,root -V +52w -z 42 \
  -O force-command=/bin/true -O source-address=127.0.0.1/32,::1 "$work/ed25519.pub"
ssh-keygen -q -s "$work/ca-ecdsa" -I bob -n bob -V 20250101:20350101 -O clear -O permit-pty "$work/ecdsa256.pub"
ssh-keygen -q -s "$work/ca-rsa" -I carol -n carol "$work/rsa1024.pub"
ssh-keygen -q -s "$work/ca-ed25519" -h -I host1 -n localhost,127.0.0.1 "$work/ecdsa521.pub"
for name in ed25519 ecdsa256 rsa1024 ecdsa521; do blob "$work/$name-cert.pub" > "$corpus/cert/keygen-$name"; done

mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$work/hostkey"
python3 - "$corpus" "$work/hostkey" <<'PY'
import os, socket, struct, subprocess, sys

corpus, hostkey = sys.argv[1:3]

def string(b):
    return struct.pack(">I", len(b)) + b

def frame(payload):
    padding = 8 - (5 + len(payload)) % 8
    padding += 8 if padding < 4 else 0
    return struct.pack(">IB", 1 + len(payload) + padding, padding) + payload + bytes(padding)

def read_exact(read, n):
    data = b""
    while len(data) < n:
        chunk = read(n - len(data))
        if not chunk:
            raise EOFError("peer closed")
        data += chunk
    return data

def read_packet(read):
    head = read_exact(read, 4)
    body = read_exact(read, struct.unpack(">I", head)[0])
    return head + body, body[1:len(body) - body[0]]

def read_line(read):
    line = b""
    while not line.endswith(b"\n"):
        line += read_exact(read, 1)
    return line

def write(name, data):
    with open(os.path.join(corpus, name), "wb") as f:
        f.write(data)

# A server KEXINIT that makes the client send its key exchange packet.
server_kexinit = bytes([20]) + bytes(16) + b"".join(string(x) for x in [
    b"curve25519-sha256,ecdh-sha2-nistp256", b"ssh-ed25519", b"aes256-gcm@openssh.com,aes128-ctr", b"aes256-gcm@openssh.com,aes128-ctr",
    b"hmac-sha2-256-etm@openssh.com", b"hmac-sha2-256-etm@openssh.com", b"none", b"none", b"", b""]) + b"\0" + bytes(4)

def capture_client(name, options, selector):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    client = subprocess.Popen(
        ["ssh", "-F", "none", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         "-o", "ConnectTimeout=5", "-p", str(port), *options, "seed@127.0.0.1", "true"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    connection, _ = listener.accept()
    connection.settimeout(5)
    connection.sendall(b"SSH-2.0-OpenSSH_9.2p1 seed\r\n")
    read = connection.recv
    read_line(read)
    kexinit_packet, kexinit = read_packet(read)
    connection.sendall(frame(server_kexinit))
    ecdh_packet, _ = read_packet(read)
    connection.close()
    listener.close()
    client.wait(10)
    write(f"kexinit/ssh-{name}", kexinit)
    write(f"packet/ssh-{name}", bytes([selector]) + kexinit_packet + ecdh_packet)

capture_client("default", [], 0)
capture_client("gcm", ["-c", "aes256-gcm@openssh.com", "-o", "KexAlgorithms=curve25519-sha256"], 3)
capture_client("ctr", ["-c", "aes128-ctr", "-m", "hmac-sha2-256-etm@openssh.com", "-o", "KexAlgorithms=ecdh-sha2-nistp256"], 7)

# sshd in inetd mode on pipes: it speaks first.
sshd = subprocess.Popen(["/usr/sbin/sshd", "-i", "-f", "/dev/null", "-h", hostkey, "-o", "LogLevel=QUIET"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
read = sshd.stdout.read
read_line(read)
sshd.stdin.write(b"SSH-2.0-OpenSSH_9.2p1 seed\r\n")
sshd.stdin.flush()
packet, kexinit = read_packet(read)
sshd.kill()
sshd.wait()
write("kexinit/sshd", kexinit)
write("packet/sshd", bytes([1]) + packet)
PY
find "$corpus" -type f | sort | while read -r f; do printf '%6d %s\n' "$(stat -c %s "$f")" "$f"; done
