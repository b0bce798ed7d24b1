#include "server/identity.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/identifiers.h"

namespace caseledger::server {
namespace {

struct Free {
  void operator()(X509* x) const { X509_free(x); }
  void operator()(X509_CRL* x) const { X509_CRL_free(x); }
  void operator()(BIO* x) const { BIO_free(x); }
  void operator()(GENERAL_NAMES* x) const { GENERAL_NAMES_free(x); }
  void operator()(EVP_PKEY* x) const { EVP_PKEY_free(x); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

Owned<X509> ReadCertificate(std::string_view pem) {
  Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return Owned<X509>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string SerialHex(const ASN1_INTEGER* serial) {
  std::string hex;
  for (int i = 0; i < serial->length; ++i) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[serial->data[i] >> 4];
    hex += kDigits[serial->data[i] & 15];
  }
  return hex;
}

std::string NameDer(const X509_NAME* name) {
  unsigned char* der = nullptr;
  const int length = i2d_X509_NAME(name, &der);
  if (length <= 0) return {};
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return bytes;
}

const char* KindOf(int type) {
  switch (type) {
    case GEN_DNS:
      return "a DNS name";
    case GEN_EMAIL:
      return "an e-mail address";
    case GEN_IPADD:
      return "an IP address";
    case GEN_URI:
      return "a URI";
    default:
      return "a name of another kind";
  }
}

Status Refused(const std::string& why) {
  return Status(Code::kNotPermitted, "the client certificate does not name one operator: " + why +
                                         " (its subject alternative name must hold exactly one "
                                         "URI:urn:caseledger:operator:<operator>)");
}

}  // namespace

Result<std::string> OperatorOfCertificate(std::string_view pem) {
  Owned<X509> cert = ReadCertificate(pem);
  if (!cert) return Status(Code::kNotPermitted, "no client certificate");
  Owned<GENERAL_NAMES> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return Refused("it has no subject alternative name");
  const int count = sk_GENERAL_NAME_num(names.get());
  if (count != 1) return Refused("it has " + std::to_string(count) + " names");
  const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), 0);
  if (name->type != GEN_URI) return Refused(std::string("its name is ") + KindOf(name->type));
  const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
  const std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                         static_cast<size_t>(ASN1_STRING_length(uri)));
  if (!text.starts_with(kOperatorUriPrefix)) {
    return Refused("its URI is not of the form urn:caseledger:operator:<operator>");
  }
  const std::string id = text.substr(kOperatorUriPrefix.size());
  const Status valid = CheckIdentifier(id, "the certificate's operator", IdKind::kOperator);
  if (!valid.ok()) return Status(Code::kNotPermitted, valid.message());
  return id;
}

Result<std::unique_ptr<Revocations>> Revocations::Load(const std::string& directory,
                                                       const std::string& ca_pem) {
  auto revocations = std::make_unique<Revocations>();
  revocations->directory_ = directory;
  revocations->ca_pem_ = ca_pem;
  if (!directory.empty()) CASELEDGER_RETURN_IF_ERROR(revocations->Reload());
  return revocations;
}

Status Revocations::Reload() {
  std::error_code error;
  int64_t newest = 0;
  auto changed = [](const struct stat& info) {
    return int64_t{info.st_mtim.tv_sec} * 1000000000 + info.st_mtim.tv_nsec;
  };
  std::vector<std::filesystem::path> files;
  for (const auto& item : std::filesystem::directory_iterator(directory_, error)) {
    struct stat info {};
    if (stat(item.path().c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
      newest = std::max(newest, changed(info));
      files.push_back(item.path());
    }
  }
  struct stat info {};
  if (error || stat(directory_.c_str(), &info) != 0) {
    return Status::IoError("cannot read the revocation lists in " + directory_);
  }
  newest = std::max(newest, changed(info));
  if (newest == loaded_mtime_ns_) return Status::Ok();
  Owned<X509> ca = ReadCertificate(ca_pem_);
  if (!ca) return Status::IoError("the client CA certificate cannot be read");
  Owned<EVP_PKEY> key(X509_get_pubkey(ca.get()));
  std::vector<std::pair<std::string, std::string>> revoked;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string text = bytes.str();
    Owned<BIO> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    Owned<X509_CRL> crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    if (!crl) continue;  // not a revocation list (a README, a CA file): not ours to read
    if (X509_CRL_verify(crl.get(), key.get()) != 1) {
      return Status::IoError("the revocation list " + path.filename().string() +
                             " is not signed by the client CA");
    }
    const std::string issuer = NameDer(X509_CRL_get_issuer(crl.get()));
    STACK_OF(X509_REVOKED)* list = X509_CRL_get_REVOKED(crl.get());
    for (int i = 0; i < sk_X509_REVOKED_num(list); ++i) {
      const X509_REVOKED* item = sk_X509_REVOKED_value(list, i);
      revoked.emplace_back(issuer, SerialHex(X509_REVOKED_get0_serialNumber(item)));
    }
  }
  revoked_ = std::move(revoked);
  loaded_mtime_ns_ = newest;
  return Status::Ok();
}

Status Revocations::Check(std::string_view pem) {
  if (directory_.empty()) return Status::Ok();
  Owned<X509> cert = ReadCertificate(pem);
  if (!cert) return Status(Code::kNotPermitted, "no client certificate");
  std::lock_guard<std::mutex> lock(mutex_);
  CASELEDGER_RETURN_IF_ERROR(Reload());
  const std::pair<std::string, std::string> key(NameDer(X509_get_issuer_name(cert.get())),
                                                SerialHex(X509_get0_serialNumber(cert.get())));
  if (std::find(revoked_.begin(), revoked_.end(), key) != revoked_.end()) {
    return Status(Code::kNotPermitted, "the client certificate has been revoked");
  }
  return Status::Ok();
}

}  // namespace caseledger::server
