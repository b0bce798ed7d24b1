#!/usr/bin/env bash
# Test and demo certificates for caseledgerd (SPEC §9), made with openssl alone.
#
#   tools/make_certs.sh init DIR                  a CA (DIR/ca.pem, ca.key) and the server's
#                                                 certificate (DIR/server.pem, server.key: DNS
#                                                 localhost, IP 127.0.0.1)
#   tools/make_certs.sh operator DIR ID           DIR/ID.pem, DIR/ID.key: exactly one SAN,
#                                                 URI:urn:caseledger:operator:ID
#   tools/make_certs.sh custom DIR NAME SAN       DIR/NAME.pem with any SAN ("" for none), to test
#                                                 certificates of the wrong shape
#   tools/make_certs.sh revoke DIR NAME           revokes DIR/NAME.pem: DIR/crl/crl.pem is the CA's
#                                                 revocation list (caseledgerd --crl-dir DIR/crl)
#   tools/make_certs.sh p12 DIR NAME PASSWORD     DIR/NAME.p12: the certificate and its key in one
#                                                 file, to import into a browser (the console)
#
# A bureau uses its court's own CA; these are for tests and the README's walk-through.
set -euo pipefail

usage() { sed -n '2,16p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1 dir=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

config() {
  cat <<CONF
[ca]
default_ca = ledger_ca
[ledger_ca]
dir = $dir/ca-db
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
default_days = 3650
default_crl_days = 3650
policy = any
copy_extensions = none
unique_subject = no
[any]
commonName = supplied
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth,serverAuth
CONF
}

# sign NAME CN SAN: a key and a certificate signed by the CA (SAN "" leaves the extension out).
sign() {
  local name=$1 cn=$2 san=$3 ext
  ext=$(mktemp)
  config >"$ext.cnf"
  { echo "[leaf]"; echo "basicConstraints = critical,CA:FALSE";
    echo "keyUsage = critical,digitalSignature,keyEncipherment";
    echo "extendedKeyUsage = clientAuth,serverAuth";
    [ -n "$san" ] && echo "subjectAltName = $san"; } >"$ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  openssl ca -batch -config "$ext.cnf" -extfile "$ext" -extensions leaf -notext \
    -in "$dir/$name.csr" -out "$dir/$name.pem" 2>/dev/null
  rm -f "$ext" "$ext.cnf" "$dir/$name.csr"
  chmod 600 "$dir/$name.key"
}

case $action in
  init)
    mkdir -p "$dir/ca-db/new" "$dir/crl"
    : >"$dir/ca-db/index.txt"
    echo 1000 >"$dir/ca-db/serial"
    echo 1000 >"$dir/ca-db/crlnumber"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=caseledger test CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    chmod 600 "$dir/ca.key"
    sign server localhost "DNS:localhost,IP:127.0.0.1"
    ;;
  operator)
    [ $# -eq 3 ] || usage
    sign "$3" "$3" "URI:urn:caseledger:operator:$3"
    ;;
  custom)
    [ $# -eq 4 ] || usage
    sign "$3" "$3" "$4"
    ;;
  revoke)
    [ $# -eq 3 ] || usage
    config >"$dir/ca-db/ca.cnf"
    openssl ca -config "$dir/ca-db/ca.cnf" -revoke "$dir/$3.pem" 2>/dev/null
    openssl ca -config "$dir/ca-db/ca.cnf" -gencrl -out "$dir/crl/crl.pem" 2>/dev/null
    ;;
  p12)
    [ $# -eq 4 ] || usage
    openssl pkcs12 -export -in "$dir/$3.pem" -inkey "$dir/$3.key" -certfile "$dir/ca.pem" \
      -name "$3" -passout "pass:$4" -out "$dir/$3.p12"
    chmod 600 "$dir/$3.p12"
    ;;
  *) usage ;;
esac
