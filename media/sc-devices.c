/* sc-devices.c: see sc-devices.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sc-devices.h"

G_DEFINE_QUARK (sc-devices-error-quark, sc_devices_error)

static const char *const device_classes[] = {
  [SC_DEVICE_CAMERA] = "Video/Source",
  [SC_DEVICE_MICROPHONE] = "Audio/Source",
  [SC_DEVICE_SPEAKER] = "Audio/Sink",
};

static void
device_free (ScDevice *device)
{
  g_free (device->name);
  g_clear_object (&device->device);
  g_free (device);
}

static gboolean
property_is (GstDevice *device, const char *field, const char *value)
{
  g_autoptr(GstStructure) props = gst_device_get_properties (device);
  const char *got = props ? gst_structure_get_string (props, field) : NULL;
  return g_strcmp0 (got, value) == 0;
}

static gboolean
device_is_default (GstDevice *device)
{
  g_autoptr(GstStructure) props = gst_device_get_properties (device);
  gboolean is_default = FALSE;
  return props && gst_structure_get_boolean (props, "is-default", &is_default) && is_default;
}

GPtrArray *
sc_devices_list (void)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) device_free);
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new ();
  for (guint k = 0; k < G_N_ELEMENTS (device_classes); k++)
    gst_device_monitor_add_filter (monitor, device_classes[k], NULL);
  /* Providers that cannot start (no sound server, no video devices) give nothing. */
  if (!gst_device_monitor_start (monitor))
    return out;
  GList *devices = gst_device_monitor_get_devices (monitor);
  gst_device_monitor_stop (monitor);

  for (guint k = 0; k < G_N_ELEMENTS (device_classes); k++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (GList *l = devices; l; l = l->next)
        {
          GstDevice *device = l->data;
          if (!gst_device_has_classes (device, device_classes[k]))
            continue;
          g_autofree char *display = gst_device_get_display_name (device);
          if (display == NULL || *display == '\0')
            continue;
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, display)) + 1;
          g_hash_table_replace (seen, g_strdup (display), GUINT_TO_POINTER (n));
          ScDevice *d = g_new0 (ScDevice, 1);
          d->kind = k;
          d->name = n == 1 ? g_strdup (display) : g_strdup_printf ("%s (%u)", display, n);
          d->is_default = device_is_default (device);
          d->is_monitor = property_is (device, "device.class", "monitor");
          d->device = g_object_ref (device);
          g_ptr_array_add (out, d);
        }
    }
  g_list_free_full (devices, gst_object_unref);
  return out;
}

ScDevice *
sc_devices_find (GPtrArray *devices, ScDeviceKind kind, const char *name)
{
  for (guint i = 0; i < devices->len; i++)
    {
      ScDevice *d = g_ptr_array_index (devices, i);
      if (d->kind == kind && g_str_equal (d->name, name))
        return d;
    }
  return NULL;
}

ScDevice *
sc_devices_pick (GPtrArray *devices, ScDeviceKind kind)
{
  ScDevice *first = NULL;
  for (guint i = 0; i < devices->len; i++)
    {
      ScDevice *d = g_ptr_array_index (devices, i);
      if (d->kind != kind || (kind == SC_DEVICE_MICROPHONE && d->is_monitor))
        continue;
      if (d->is_default)
        return d;
      if (first == NULL)
        first = d;
    }
  return first;
}

char *
sc_devices_describe (GPtrArray *devices)
{
  static const char *const headings[] = {
    [SC_DEVICE_CAMERA] = N_("Cameras (--video-source):"),
    [SC_DEVICE_MICROPHONE] = N_("Microphones (--audio-source):"),
    [SC_DEVICE_SPEAKER] = N_("Speakers (--audio-sink):"),
  };
  GString *out = g_string_new (NULL);
  for (guint k = 0; k < G_N_ELEMENTS (headings); k++)
    {
      g_string_append_printf (out, "%s\n", _(headings[k]));
      guint n = 0;
      for (guint i = 0; i < devices->len; i++)
        {
          ScDevice *d = g_ptr_array_index (devices, i);
          if (d->kind != k || (k == SC_DEVICE_MICROPHONE && d->is_monitor))
            continue;
          /* The name as the options take it; a default is marked after it. */
          g_string_append_printf (out, "  device:%s%s\n", d->name,
                                  d->is_default ? _("  (default)") : "");
          n++;
        }
      if (n == 0)
        g_string_append_printf (out, "  %s\n", _("(none)"));
    }
  return g_string_free (out, FALSE);
}

/* "auto" or "device:NAME" for @kind (@asked): the device, or NULL for none (auto only). */
static gboolean
resolve_one (GPtrArray **devices, ScDeviceKind kind, const char *choice, gboolean *asked,
             ScDevice **found, GError **error)
{
  const char *name = g_str_has_prefix (choice, "device:") ? choice + strlen ("device:") : NULL;
  *asked = name != NULL || g_str_equal (choice, "auto");
  *found = NULL;
  if (!*asked)
    return TRUE;
  if (*devices == NULL)
    *devices = sc_devices_list ();
  *found = name ? sc_devices_find (*devices, kind, name) : sc_devices_pick (*devices, kind);
  if (*found == NULL && name)
    {
      g_autofree char *text =
        kind == SC_DEVICE_CAMERA ? g_strdup_printf (_("No camera is called “%s”."), name)
        : kind == SC_DEVICE_MICROPHONE ? g_strdup_printf (_("No microphone is called “%s”."), name)
        : g_strdup_printf (_("No speaker is called “%s”."), name);
      g_set_error (error, SC_DEVICES_ERROR, SC_DEVICES_ERROR_NOT_FOUND, "%s %s", text,
                   _("showcast --list-devices lists the devices there are."));
      return FALSE;
    }
  return TRUE;
}

/* @field: "auto" or "device:NAME" → "device:NAME" of what was found, or @none. */
static void
settle (char **field, GstDevice **slot, ScDevice *found, const char *none)
{
  g_clear_object (slot);
  if (found)
    *slot = g_object_ref (found->device);
  g_free (*field);
  *field = found ? g_strdup_printf ("device:%s", found->name) : g_strdup (none);
}

gboolean
sc_devices_resolve (ScMediaConfig *config, GError **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  gboolean asked_camera, asked_mic, asked_speaker;
  ScDevice *camera, *mic, *speaker;
  if (!resolve_one (&devices, SC_DEVICE_CAMERA, config->video_source, &asked_camera, &camera,
                    error) ||
      !resolve_one (&devices, SC_DEVICE_MICROPHONE, config->audio_source, &asked_mic, &mic,
                    error) ||
      !resolve_one (&devices, SC_DEVICE_SPEAKER, config->audio_sink, &asked_speaker, &speaker,
                    error))
    return FALSE;
  /* No camera: the peer sees a card with the user's name; no microphone: no audio. */
  if (asked_camera)
    settle (&config->video_source, &config->video_device, camera, "card");
  if (asked_mic)
    settle (&config->audio_source, &config->audio_device, mic, "none");
  if (asked_speaker)
    settle (&config->audio_sink, &config->speaker_device, speaker, "auto");
  return TRUE;
}
