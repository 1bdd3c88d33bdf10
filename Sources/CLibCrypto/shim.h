// OpenSSL's libcrypto, for SHA-256 of input files (manifest.json checks): it uses the CPU's SHA
// extensions where present, about six times faster than a portable implementation.
#include <openssl/evp.h>
