/* bench-video.c: video calls, app to app on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two TendCalls in this process, their signalling passed straight between
 * them (no server: its relay adds one loopback hop per message, measured
 * in bench-sync's live latency), with GStreamer's test sources at
 * 640x480, 30 fps, and the DTLS certificate warmed as the app does at
 * start-up.
 *
 *  - start to first remote frame: from tend_call_add_peer () on both
 *    sides (what "Start" and the other's join amount to) until both have
 *    decoded a frame of the other; --runs calls, median and worst;
 *  - CPU of a 1:1 call: user+system time of the process (both calls:
 *    two encoders, two decoders) over --seconds of a connected call, as a
 *    share of one core.
 *
 *   bench-video [--runs 15] [--seconds 20]
 */
#include "config.h"

#include <sys/resource.h>

#include "tend-call.h"

static TendCall *a, *b;

static void
on_signal_out_cb (TendCall   *from,
                  const char *peer_id,
                  const char *text,
                  gpointer    data)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  tend_call_receive (from == a ? b : a, from == a ? "a" : "b", node, NULL);
}

static TendCall *
make_call (void)
{
  TendCall *call = tend_call_new ();
  g_autoptr(GError) error = NULL;

  tend_call_set_video_source (call, "videotestsrc is-live=true pattern=ball");
  tend_call_set_audio_source (call, "audiotestsrc is-live=true wave=sine");
  tend_call_set_audio_sink (call, "fakesink sync=false");
  tend_call_set_loopback (call, TRUE);
  g_signal_connect (call, "signal-out", G_CALLBACK (on_signal_out_cb), NULL);
  if (!tend_call_start (call, &error))
    g_error ("%s", error->message);
  return call;
}

static guint64
frames (TendCall   *call,
        const char *peer)
{
  TendCallStats stats = { 0 };

  tend_call_get_peer_stats (call, peer, &stats);
  return stats.frames_received;
}

static void
iterate (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (500);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static int
compare (gconstpointer x,
         gconstpointer y)
{
  double d = *(const double *) x - *(const double *) y;

  return d < 0 ? -1 : d > 0;
}

int
main (int    argc,
      char **argv)
{
  int runs = 15;
  int seconds = 20;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Calls to time", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Length of the CPU measure", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || !tend_media_init (&error))
    g_error ("%s", error->message);
  tend_media_warm_up_wait ();

  for (int i = 0; i < runs; i++)
    {
      gint64 start, deadline;

      a = make_call ();
      b = make_call ();
      /* Let the cameras run, as they do while the clinician waits. */
      deadline = g_get_monotonic_time () + 300 * 1000;
      while (g_get_monotonic_time () < deadline)
        iterate ();
      start = g_get_monotonic_time ();
      tend_call_add_peer (b, "a", NULL, FALSE);
      tend_call_add_peer (a, "b", NULL, TRUE);
      deadline = start + 10 * G_USEC_PER_SEC;
      while ((frames (a, "b") == 0 || frames (b, "a") == 0) && g_get_monotonic_time () < deadline)
        iterate ();
      if (frames (a, "b") == 0 || frames (b, "a") == 0)
        g_error ("run %d: no frame within 10 s", i);
      {
        double ms = (g_get_monotonic_time () - start) / 1000.0;

        g_array_append_val (times, ms);
      }
      if (i < runs - 1)
        {
          g_clear_object (&a);
          g_clear_object (&b);
        }
    }
  g_array_sort (times, compare);
  g_print ("video_first_frame_median_ms: %.0f\n", g_array_index (times, double, times->len / 2));
  g_print ("video_first_frame_worst_ms: %.0f\n", g_array_index (times, double, times->len - 1));

  {
    /* The last call, connected: settle, then measure. */
    gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
    double cpu0, wall0;
    guint64 frames0;

    while (g_get_monotonic_time () < deadline)
      iterate ();
    cpu0 = cpu_seconds ();
    wall0 = g_get_monotonic_time () / 1e6;
    frames0 = frames (b, "a");
    deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
    while (g_get_monotonic_time () < deadline)
      iterate ();
    g_print ("video_call_cpu_percent_of_one_core: %.0f\n",
             100.0 * (cpu_seconds () - cpu0) / (g_get_monotonic_time () / 1e6 - wall0));
    g_print ("video_call_received_fps: %.1f\n", (frames (b, "a") - frames0) / (double) seconds);
  }
  g_clear_object (&a);
  g_clear_object (&b);
  return 0;
}
