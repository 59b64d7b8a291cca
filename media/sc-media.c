/* sc-media.c: see sc-media.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <X11/Xlib.h>
#include <gst/gst.h>

#include "sc-call.h"
#include "sc-dtls-certificate.h"
#include "sc-media.h"

/**
 * sc_media_init:
 * Initialises GStreamer. With an X display, it first makes Xlib thread-safe: video
 * window sinks use Xlib from streaming threads, and without XInitThreads() Xlib aborts
 * the whole process ("XIO: fatal IO error") when a call's window closes.
 */
gboolean
sc_media_init (int *argc, char ***argv, GError **error)
{
  if (g_getenv ("DISPLAY"))
    XInitThreads ();
  return gst_init_check (argc, argv, error);
}

/* Calls use the process's ECDSA certificate (sc-dtls-certificate.h), but the first
 * dtlsdec created still makes GStreamer's own RSA one (every dtlsdec starts with it):
 * both here, ahead of the first call, which would otherwise wait for them. */
static gpointer
make_certificate (gpointer data)
{
  sc_dtls_certificate_get ();
  GstElement *dtls = gst_element_factory_make ("dtlsdec", NULL);
  if (dtls)
    gst_object_unref (gst_object_ref_sink (dtls));
  return NULL;
}

static GThread *certificate_thread;

void
sc_media_prepare (void)
{
  g_return_if_fail (certificate_thread == NULL);
  certificate_thread = g_thread_new ("dtls-certificate", make_certificate, NULL);
}

/* The thread must not outlive main(): exit() runs OpenSSL's clean-up, and a key being
 * generated at that moment crashes on the freed locks (seen when the client gave up at
 * once, e.g. on an untrusted TLS certificate). */
void
sc_media_finish (void)
{
  if (certificate_thread)
    g_thread_join (g_steal_pointer (&certificate_thread));
  sc_call_join_teardowns ();
}
