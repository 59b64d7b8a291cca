/* sc-devices.h: the system's cameras, microphones and speakers, as GStreamer's device
 * monitor finds them (PulseAudio or PipeWire, V4L2, ALSA: whatever providers are
 * installed), and what the client's "auto" and "device:NAME" choices become.
 *
 * A device's NAME is its display name; when two share one, the second and later get
 * " (2)", " (3)" … in the order the monitor lists them. `showcast --list-devices` prints
 * exactly the names the options accept.
 */
#pragma once

#include <gst/gst.h>

#include "sc-media-config.h"

G_BEGIN_DECLS

#define SC_DEVICES_ERROR (sc_devices_error_quark ())
GQuark sc_devices_error_quark (void);

typedef enum {
  SC_DEVICES_ERROR_NOT_FOUND,   /* a device:NAME that is not there */
} ScDevicesError;

typedef enum {
  SC_DEVICE_CAMERA,
  SC_DEVICE_MICROPHONE,
  SC_DEVICE_SPEAKER,
} ScDeviceKind;

typedef struct
{
  ScDeviceKind kind;
  char *name;            /* unique among the devices of its kind */
  gboolean is_default;   /* the sound server's default */
  gboolean is_monitor;   /* a sink's monitor: what the speakers play, never a microphone */
  GstDevice *device;
} ScDevice;

/* Every device now, by kind, in the monitor's order (of ScDevice). */
GPtrArray  *sc_devices_list         (void);
/* @devices: from sc_devices_list(). NULL: none of @kind called @name. */
ScDevice   *sc_devices_find         (GPtrArray    *devices,
                                     ScDeviceKind  kind,
                                     const char   *name);
/* What "auto" takes: the default device of @kind, else the first; for microphones never
 * a monitor. NULL: none. */
ScDevice   *sc_devices_pick         (GPtrArray    *devices,
                                     ScDeviceKind  kind);
/* Turns the sources' and the audio sink's "auto" and "device:NAME" in @config into
 * devices (config->video_device …), "card" (no camera) and "none" (no microphone).
 * Fails, saying which, for a device:NAME that is not there. Probes only when a choice
 * needs it. */
gboolean    sc_devices_resolve      (ScMediaConfig *config,
                                     GError       **error);
/* The list as `showcast --list-devices` prints it. */
char       *sc_devices_describe     (GPtrArray    *devices);

G_END_DECLS
