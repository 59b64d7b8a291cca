/* sc-identity.h: the user's Ed25519 key (libsodium), created on first use and kept in
 * $XDG_DATA_HOME/showcast/identity.key with mode 0600. Its fingerprint is the user's
 * stable id on every server. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScIdentity ScIdentity;

char       *sc_identity_default_path (void);
ScIdentity *sc_identity_load         (const char  *path,
                                      gboolean     create,
                                      GError     **error);
void        sc_identity_free         (ScIdentity  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScIdentity, sc_identity_free)

const char *sc_identity_fingerprint  (ScIdentity  *self);
char       *sc_identity_public_key   (ScIdentity  *self);
char       *sc_identity_sign_in      (ScIdentity  *self,
                                      const char  *nonce,
                                      const char  *name);

G_END_DECLS
