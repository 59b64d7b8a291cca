/* fake-devices.c: a GStreamer plugin for the tests, with a device provider that has a
 * camera and a microphone backed by test sources, so that showcast's "auto" and
 * device:NAME find something on a machine with neither. Loaded through GST_PLUGIN_PATH
 * (tests/e2e/test_devices.py); never installed.
 *
 * The camera shows SMPTE colour bars at 320x240 (the client scales to 640x480), the
 * microphone a 660 Hz tone: what a test sees and hears tells them from showcast's own
 * test picture (a ball) and tone (440 Hz). */
#include <gst/gst.h>

/* GST_PLUGIN_DEFINE names the package it comes from. */
#define PACKAGE "showcast-tests"

#define FAKE_CAMERA "Showcast Test Camera"
#define FAKE_MICROPHONE "Showcast Test Microphone"

/* A bin's description may not end in bare caps: a capsfilter holds them. */

/* ---- The devices ------------------------------------------------------------------- */

#define FAKE_TYPE_DEVICE (fake_device_get_type ())
G_DECLARE_FINAL_TYPE (FakeDevice, fake_device, FAKE, DEVICE, GstDevice)

struct _FakeDevice
{
  GstDevice parent_instance;
  const char *description;   /* a gst-launch description of its source */
};

G_DEFINE_FINAL_TYPE (FakeDevice, fake_device, GST_TYPE_DEVICE)

static GstElement *
fake_device_create_element (GstDevice *device, const char *name)
{
  GError *error = NULL;
  GstElement *bin = gst_parse_bin_from_description (FAKE_DEVICE (device)->description, TRUE,
                                                    &error);
  if (bin == NULL)
    {
      g_warning ("fake device: %s", error->message);
      g_error_free (error);
      return NULL;
    }
  if (name)
    gst_object_set_name (GST_OBJECT (bin), name);
  return bin;
}

static void
fake_device_class_init (FakeDeviceClass *klass)
{
  GST_DEVICE_CLASS (klass)->create_element = fake_device_create_element;
}

static void
fake_device_init (FakeDevice *self)
{
}

static GstDevice *
fake_device_new (const char *display_name, const char *klass, const char *caps_text,
                 const char *description)
{
  GstCaps *caps = gst_caps_from_string (caps_text);
  GstStructure *props = gst_structure_new ("showcast-fake", "device.api", G_TYPE_STRING, "fake",
                                           "is-default", G_TYPE_BOOLEAN, TRUE, NULL);
  FakeDevice *device = g_object_new (FAKE_TYPE_DEVICE, "display-name", display_name,
                                     "device-class", klass, "caps", caps,
                                     "properties", props, NULL);
  device->description = description;
  gst_caps_unref (caps);
  gst_structure_free (props);
  return GST_DEVICE (device);
}

/* ---- The provider ------------------------------------------------------------------ */

#define FAKE_TYPE_PROVIDER (fake_provider_get_type ())
G_DECLARE_FINAL_TYPE (FakeProvider, fake_provider, FAKE, PROVIDER, GstDeviceProvider)

struct _FakeProvider
{
  GstDeviceProvider parent_instance;
};

G_DEFINE_FINAL_TYPE (FakeProvider, fake_provider, GST_TYPE_DEVICE_PROVIDER)

static GList *
fake_provider_probe (GstDeviceProvider *provider)
{
  GList *devices = NULL;
  devices = g_list_append (devices, fake_device_new (
    FAKE_CAMERA, "Video/Source", "video/x-raw",
    "videotestsrc is-live=true pattern=smpte ! "
    "capsfilter caps=\"video/x-raw,width=320,height=240,framerate=30/1\""));
  devices = g_list_append (devices, fake_device_new (
    FAKE_MICROPHONE, "Audio/Source", "audio/x-raw",
    "audiotestsrc is-live=true wave=sine freq=660 volume=0.3 samplesperbuffer=960 ! "
    "capsfilter caps=\"audio/x-raw,rate=48000,channels=1\""));
  return devices;
}

static void
fake_provider_class_init (FakeProviderClass *klass)
{
  GstDeviceProviderClass *provider_class = GST_DEVICE_PROVIDER_CLASS (klass);
  provider_class->probe = fake_provider_probe;
  gst_device_provider_class_set_static_metadata (provider_class, "showcast test devices",
                                                 "Source/Video/Audio",
                                                 "A camera and a microphone made of test sources",
                                                 "showcast");
}

static void
fake_provider_init (FakeProvider *self)
{
}

static gboolean
plugin_init (GstPlugin *plugin)
{
  return gst_device_provider_register (plugin, "showcastfakedevices", GST_RANK_PRIMARY,
                                       FAKE_TYPE_PROVIDER);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, showcastfakedevices,
                   "Test devices for showcast", plugin_init, "1.0", "unknown", "showcast",
                   "tests/gst")
