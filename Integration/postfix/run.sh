#!/usr/bin/env bash
# Proves `exportguard filter` as a Postfix content filter with a real Postfix, on loopback.
# Usage: Integration/postfix/run.sh PATH/TO/exportguard
# Installs postfix and swaks if missing, configures a loopback smtpd on a spare port whose
# mail goes through ExportGuard (pipe transport) and back in with sendmail, sends messages
# with swaks, and checks what was delivered, bounced and deferred. Runs as root; stops
# everything it started.
set -uo pipefail

binary=$(readlink -f "${1:?usage: run.sh PATH/TO/exportguard}")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
work=$(mktemp -d /tmp/exportguard-postfix.XXXXXX)
chmod 755 "$work"
passed=0
failed=0
pass() { echo "ok   - $1"; passed=$((passed + 1)); }
fail() { echo "FAIL - $1"; failed=$((failed + 1)); }

if ! command -v postfix >/dev/null; then
    # Answers for the package's questions, before it is installed.
    echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
    echo "postfix postfix/mailname string localhost" | debconf-set-selections
fi
install_missing postfix:postfix swaks:swaks

# The filter runs as an unprivileged user; give it its own copy of the binary.
id egfilter >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin egfilter
id mailtest >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin mailtest
id mailsender >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin mailsender
id mailcontrol >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin mailcontrol
install -d -m 755 "$work/bin"
install -m 755 "$binary" "$work/bin/exportguard"
printf 'extends: default\nname: strict\nuninspectable: block\n' > "$work/strict.yaml"
chmod 644 "$work/strict.yaml"
port=$(spare_port)
control_port=$(spare_port)
strict_port=$(spare_port)

cleanup() {
    postfix stop >/dev/null 2>&1
    if [ -f "$work/master.cf.orig" ]; then
        cp "$work/master.cf.orig" /etc/postfix/master.cf
        cp "$work/main.cf.orig" /etc/postfix/main.cf
    fi
    rm -rf "$work"
}
trap cleanup EXIT

postfix stop >/dev/null 2>&1
cp /etc/postfix/master.cf "$work/master.cf.orig"
cp /etc/postfix/main.cf "$work/main.cf.orig"
postconf -e \
    "myhostname = localhost" "mydomain = localdomain" "mydestination = localhost, localhost.localdomain" \
    "inet_interfaces = loopback-only" "inet_protocols = ipv4" "home_mailbox = Maildir/" \
    "maillog_file = $work/maillog" "maillog_file_prefixes = /var, /dev/stdout, $work" \
    "mynetworks = 127.0.0.0/8" "smtputf8_enable = no" "compatibility_level = 3.6" \
    "bounce_queue_lifetime = 0" "delay_warning_time = 0"
cat >> /etc/postfix/master.cf <<CONF
127.0.0.1:$port inet n - n - - smtpd -o content_filter=exportguard:dummy
127.0.0.1:$strict_port inet n - n - - smtpd -o content_filter=exportguard-strict:dummy
127.0.0.1:$control_port inet n - n - - smtpd
exportguard unix - n n - 4 pipe flags=Rq user=egfilter argv=$work/bin/exportguard filter -- /usr/sbin/sendmail -G -i -f \${sender} -- \${recipient}
exportguard-strict unix - n n - 4 pipe flags=Rq user=egfilter argv=$work/bin/exportguard filter --policy $work/strict.yaml -- /usr/sbin/sendmail -G -i -f \${sender} -- \${recipient}
CONF
rm -rf /home/mailtest/Maildir /home/mailsender/Maildir /home/mailcontrol/Maildir
postfix check && postfix start >/dev/null || { echo "postfix did not start"; exit 1; }

# Waits until a user's Maildir holds N messages; prints the newest file.
wait_for_mail() {
    local user=$1 count=$2
    for _ in $(seq 1 120); do
        local files
        files=$(ls -1t /home/$user/Maildir/new 2>/dev/null | wc -l)
        if [ "$files" -ge "$count" ]; then
            echo "/home/$user/Maildir/new/$(ls -1t /home/$user/Maildir/new | head -n 1)"
            return 0
        fi
        sleep 0.5
    done
    return 1
}

send() { swaks --server 127.0.0.1 --port "${PORT:-$port}" --from mailsender@localhost --to mailtest@localhost --silent 2 "$@" >/dev/null 2>&1; }

# 1. A benign message is delivered, its body byte-identical.
# The whole message is ours (swaks --data sends it verbatim): CRLF, 8-bit bytes. The same
# message also goes through a control smtpd without ExportGuard: both deliveries must match.
printf 'From: mailsender@localhost\r\nTo: mailtest@localhost\r\nSubject: benign\r\n\r\nQuarterly report attached.\r\nNothing sensitive here.\r\n8-bit: caf\xc3\xa9\r\n' > "$work/benign.eml"
send --data @"$work/benign.eml"
PORT=$control_port send --to mailcontrol@localhost --data @"$work/benign.eml"
if delivered=$(wait_for_mail mailtest 1) && control=$(wait_for_mail mailcontrol 1); then
    # Bodies: everything after the first empty line.
    sed -e '1,/^\r\{0,1\}$/d' "$delivered" > "$work/delivered-body"
    sed -e '1,/^\r\{0,1\}$/d' "$control" > "$work/control-body"
    if cmp -s "$work/control-body" "$work/delivered-body" && grep -q "caf" "$work/delivered-body"; then
        pass "benign message delivered with its body byte-identical to delivery without ExportGuard"
    else
        fail "benign message body changed"
        od -c "$work/delivered-body" | tail -n 5; od -c "$work/control-body" | tail -n 5
    fi
else
    fail "benign message was not delivered"; tail -n 20 "$work/maillog"
fi

# 2. A base64 CSV attachment of 12,000 valid resident IDs bounces.
python3 - "$work/customers.csv" <<'PY'
import sys
weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
with open(sys.argv[1], "w") as out:
    out.write("name,id\n")
    for n in range(12000):
        body = "110101%04d%02d%02d%03d" % (1950 + n % 50, 1 + n % 12, 1 + n % 28, n // 600)
        check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
        out.write("customer%d,%s%s\n" % (n, body, check))
PY
send --header "Subject: customer list" --body "see attachment" --attach-type text/csv --attach-name customers.csv --attach @"$work/customers.csv"
# 3. A zip holding a docx with a 绝密★ marking bounces.
mkdir -p "$work/docx/word"
cat > "$work/docx/word/document.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>绝密</w:t></w:r><w:r><w:t>★长期</w:t></w:r></w:p></w:body></w:document>
XML
(cd "$work/docx" && zip -q -r ../plan.docx . && cd .. && zip -q bundle.zip plan.docx)
send --header "Subject: plans" --body "attached" --attach-type application/zip --attach-name bundle.zip --attach @"$work/bundle.zip"
# 4. A GB2312 RFC 2047 subject carrying a marking bounces.
subject=$(python3 -c 'import base64; print("=?GB2312?B?" + base64.b64encode("机密★10年 会议安排".encode("gb2312")).decode() + "?=")')
send --header "Subject: $subject" --body "see subject"

if bounces=$(wait_for_mail mailsender 3); then
    reasons=$(cat /home/mailsender/Maildir/new/* | grep -c "ExportGuard refused this content")
    if [ "$reasons" -ge 3 ]; then pass "3 risky messages bounced with ExportGuard's reason"; else fail "bounces without the reason ($reasons)"; fi
    if grep -q "personal-info" /home/mailsender/Maildir/new/* && grep -q "state-secret" /home/mailsender/Maildir/new/*; then
        pass "bounce reasons name the categories"
    else
        fail "bounce reasons do not name the categories"
    fi
    if grep -h "ExportGuard refused" /home/mailsender/Maildir/new/* | grep -Eq '[0-9]{11}|机密|绝密'; then
        fail "a bounce reason shows an identifier or a marking"
    else
        pass "bounce reasons hold no identifiers or excerpts"
    fi
else
    fail "risky messages did not bounce"; tail -n 30 "$work/maillog"
fi
sleep 2
delivered_count=$(ls -1 /home/mailtest/Maildir/new | wc -l)
if [ "$delivered_count" -eq 1 ]; then pass "no risky message reached the mailbox"; else fail "$delivered_count messages reached the mailbox"; fi

# 5. With uninspectable: block, an encrypted attachment is deferred (exit 75), not bounced.
echo "secret" > "$work/plain.txt"
(cd "$work" && zip -q -P pass locked.zip plain.txt)
PORT=$strict_port send --header "Subject: locked" --body "encrypted" --attach-type application/zip --attach-name locked.zip --attach @"$work/locked.zip"
deferred=0
for _ in $(seq 1 60); do
    if grep -q "relay=exportguard-strict.*status=deferred" "$work/maillog" 2>/dev/null; then deferred=1; break; fi
    sleep 0.5
done
if [ "$deferred" -eq 1 ] && postqueue -p | grep -q "mailtest@localhost"; then
    pass "content that cannot be inspected is deferred (exit 75) and stays queued"
else
    fail "encrypted attachment was not deferred"; postqueue -p; tail -n 20 "$work/maillog"
fi
postsuper -d ALL >/dev/null 2>&1

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
