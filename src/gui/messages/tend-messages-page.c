/* tend-messages-page.c: secure messaging, the conversation list and the
 * open conversation side by side (one after the other when narrow)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is read from the store (tend-messages.c) and written through
 * it; sync brings other people's messages, and the store's "changed"
 * signal refreshes the page.  A conversation's messages are a list of row
 * ids; each row loads its message when it is shown, so a conversation of
 * thousands opens at once.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-core.h"
#include "tend-document-window.h"
#include "tend-messages.h"
#include "tend-messages-page.h"

/* Reads that can take a while (the conversation list, a conversation's
 * thread, an attachment's decryption) run in threads, on a second
 * connection to the store (tend_store_open_worker ()), opened by the first
 * of them and shared by the rest one at a time.  Each holds a reference, so
 * a page that goes away mid-read leaves nothing dangling; the page cancels
 * what it no longer wants (another refresh, another conversation) and
 * drops the results. */
typedef struct
{
  gatomicrefcount ref;
  GMutex          lock;
  TendStore      *store;    /* the page's, to open the worker from */
  TendStore      *worker;   /* (nullable): opened in a thread, under @lock */
} Reader;

static Reader *
reader_new (TendStore *store)
{
  Reader *r = g_new0 (Reader, 1);

  g_atomic_ref_count_init (&r->ref);
  g_mutex_init (&r->lock);
  r->store = g_object_ref (store);
  return r;
}

static Reader *
reader_ref (Reader *r)
{
  g_atomic_ref_count_inc (&r->ref);
  return r;
}

static void
reader_unref (Reader *r)
{
  if (!g_atomic_ref_count_dec (&r->ref))
    return;
  g_clear_object (&r->worker);
  g_clear_object (&r->store);
  g_mutex_clear (&r->lock);
  g_free (r);
}

/* In a thread, with @r->lock held: the worker connection. */
static TendStore *
reader_get (Reader  *r,
            GError **error)
{
  if (r->worker == NULL)
    r->worker = tend_store_open_worker (r->store, error);
  return r->worker;
}

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

struct _TendMessagesPage
{
  AdwBin           parent_instance;

  TendStore       *store;
  Reader          *reader;         /* the store's second connection, for reads in threads */
  GCancellable    *list_cancel;    /* the conversation list being read */
  GCancellable    *open_cancel;    /* the open conversation's reads: its thread, a file */
  GTimeZone       *zone;
  char            *open_id;
  GPtrArray       *additions;      /* the open conversation's, TendConversationAddition */
  char            *client_name;    /* (nullable): the open conversation's client, for their messages */
  char            *editing_id;
  GPtrArray       *pending;        /* TendOutgoingFile */
  GPtrArray       *markers;        /* the open conversation's read markers */
  GHashTable      *notified;       /* message ids already announced */
  guint            unread;
  guint            reads;           /* reads running in threads */
  guint            refresh_id;
  guint            draft_id;
  guint            scroll_id;
  gboolean         loading_draft;
  gboolean         has_server;      /* messages go to a practice server */

  AdwLeaflet      *leaflet;
  GtkSearchEntry  *search;
  GtkStack        *list_stack;
  GtkListBox      *list;
  GtkListBox      *results;
  GtkStack        *conversation_stack;
  AdwWindowTitle  *title;
  GtkButton       *back;
  GtkButton       *add_people;
  GtkListView     *view;
  GtkStringList   *rids;
  GtkTextView     *compose;
  GtkLabel        *compose_status;
  GtkBox          *pending_box;
  GtkButton       *send;
  AdwToastOverlay *toasts;
};

enum
{
  PROP_0,
  PROP_UNREAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TendMessagesPage, tend_messages_page, ADW_TYPE_BIN)

static void refresh_list (TendMessagesPage *self);
static void open_conversation (TendMessagesPage *self, const char *id, gboolean navigate);

static const char *
me (TendMessagesPage *self)
{
  return self->store != NULL ? tend_store_get_actor_id (self->store) : NULL;
}

static void
toast (TendMessagesPage *self,
       const char       *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static char *
person_name (TendMessagesPage *self,
             const char       *staff_id)
{
  char *name = staff_id != NULL ? tend_store_dup_display_name (self->store, TEND_TYPE_STAFF, staff_id) : NULL;

  return name != NULL ? name : g_strdup (_("Unknown person"));
}

/* The subject, or the other members' names. */
static char *
conversation_title (TendMessagesPage *self,
                    TendConversation *c)
{
  g_auto(GStrv) members = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (tend_conversation_get_subject (c) != NULL)
    return g_strdup (tend_conversation_get_subject (c));
  /* A client's thread is named after the client. */
  if (tend_conversation_is_with_client (c) && tend_conversation_get_client_id (c) != NULL)
    {
      char *client = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT, tend_conversation_get_client_id (c));

      if (client != NULL)
        return client;
    }
  members = tend_conversation_dup_members (c);
  for (guint i = 0; members[i] != NULL; i++)
    if (g_strcmp0 (members[i], me (self)) != 0)
      g_ptr_array_add (names, person_name (self, members[i]));
  if (names->len == 0)
    return g_strdup (_("Note to Self"));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static char *
members_line (TendMessagesPage *self,
              TendConversation *c)
{
  g_auto(GStrv) members = tend_conversation_dup_members (c);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  for (guint i = 0; members[i] != NULL; i++)
    g_ptr_array_add (names, g_strcmp0 (members[i], me (self)) == 0 ? g_strdup (_("You"))
                                                                   : person_name (self, members[i]));
  g_ptr_array_add (names, NULL);
  joined = g_strjoinv (", ", (char **) names->pdata);
  if (tend_conversation_is_clinical (c))
    return g_strdup_printf (_("%s · Clinical"), joined);
  if (tend_conversation_is_started_by_client (c))
    /* TRANSLATORS: the members of a conversation a client started in the portal */
    return g_strdup_printf (_("%s · Started by the client"), joined);
  return g_steal_pointer (&joined);
}

/* A time for the list: today's as a time, others as a date, in the
 * practice's zone and the locale's format. */
static char *
short_time (TendMessagesPage *self,
            gint64            usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeZone *zone = self->zone;

  if (utc == NULL)
    return g_strdup ("");
  local = zone != NULL ? g_date_time_to_timezone (utc, zone) : g_date_time_to_local (utc);
  now = zone != NULL ? g_date_time_new_now (zone) : g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* TRANSLATORS: a time today, as in the calendar (strftime) */
    return g_date_time_format (local, _("%H:%M"));
  return tend_time_format_date (local);
}

static char *
message_time (TendMessagesPage *self,
              const char       *iso)
{
  g_autoptr(GDateTime) dt = iso != NULL ? tend_time_parse_iso8601 (iso, NULL) : NULL;

  return dt != NULL ? short_time (self, tend_time_to_unix_usec (dt)) : g_strdup ("");
}

/* Conversation list */

static GtkWidget *
summary_row (TendMessagesPage        *self,
             TendConversationSummary *s)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *preview = gtk_label_new (NULL);
  GtkWidget *when = gtk_label_new (NULL);
  g_autofree char *name = conversation_title (self, s->conversation);
  g_autofree char *time = short_time (self, s->last_usec);
  g_autofree char *markup = NULL;
  g_autofree char *line = NULL;

  markup = g_markup_printf_escaped (s->unread > 0 ? "<b>%s</b>" : "%s", name);
  gtk_label_set_markup (GTK_LABEL (title), markup);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 24);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  if (s->last_withdrawn)
    line = g_strdup (_("Message withdrawn"));
  else if (s->last_text != NULL)
    {
      g_autofree char *who = s->last_author_id == NULL ? g_strdup (_("Client"))
                             : g_strcmp0 (s->last_author_id, me (self)) == 0 ? g_strdup (_("You"))
                             : person_name (self, s->last_author_id);
      g_autofree char *flat = g_strdelimit (g_strdup (s->last_text), "\n\r\t", ' ');

      /* TRANSLATORS: who wrote the newest message, and its first words */
      line = g_strdup_printf (_("%s: %s"), who, flat);
    }
  else
    line = g_strdup (_("No messages yet"));
  gtk_label_set_text (GTK_LABEL (preview), line);
  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_ellipsize (GTK_LABEL (preview), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (preview), 28);
  gtk_widget_add_css_class (preview, "dim-label");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), preview);

  gtk_label_set_text (GTK_LABEL (when), time);
  gtk_widget_add_css_class (when, "caption");
  gtk_widget_add_css_class (when, "dim-label");
  gtk_box_append (GTK_BOX (side), when);
  if (s->unread > 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", s->unread);
      GtkWidget *count = gtk_label_new (n);

      gtk_widget_add_css_class (count, "accent");
      gtk_widget_add_css_class (count, "heading");
      gtk_widget_set_halign (count, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (side), count);
    }
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), side);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (row), "conversation-id",
                          g_strdup (tend_record_get_id (TEND_RECORD (s->conversation))), g_free);
  return row;
}

static void
set_unread (TendMessagesPage *self,
            guint             unread)
{
  if (self->unread == unread)
    return;
  self->unread = unread;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
}

static gboolean
scroll_to_end_cb (gpointer data)
{
  TendMessagesPage *self = data;
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view));

  self->scroll_id = 0;
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  return G_SOURCE_REMOVE;
}

/* The open conversation's title, members and additions (people may have
 * been added since it was opened). */
static void
show_header (TendMessagesPage *self)
{
  g_autoptr(TendRecord) record = tend_store_load (self->store, TEND_TYPE_CONVERSATION, self->open_id, NULL);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (record == NULL)
    return;
  title = conversation_title (self, TEND_CONVERSATION (record));
  subtitle = members_line (self, TEND_CONVERSATION (record));
  adw_window_title_set_title (self->title, title);
  adw_window_title_set_subtitle (self->title, subtitle);
  g_clear_pointer (&self->additions, g_ptr_array_unref);
  self->additions = tend_conversation_dup_additions (TEND_CONVERSATION (record));
  g_clear_pointer (&self->client_name, g_free);
  if (tend_conversation_is_with_client (TEND_CONVERSATION (record)) &&
      tend_conversation_get_client_id (TEND_CONVERSATION (record)) != NULL)
    self->client_name = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT,
                                                     tend_conversation_get_client_id (TEND_CONVERSATION (record)));
}

typedef struct
{
  char      *conversation_id;
  GArray    *thread;    /* row ids, additions as negative numbers */
  GPtrArray *markers;   /* read markers */
} ThreadRead;

static void
thread_read_free (ThreadRead *t)
{
  g_free (t->conversation_id);
  g_clear_pointer (&t->thread, g_array_unref);
  g_clear_pointer (&t->markers, g_ptr_array_unref);
  g_free (t);
}

static void
read_thread_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Reader *r = g_object_get_data (G_OBJECT (task), "reader");
  ThreadRead *t = g_new0 (ThreadRead, 1);
  GError *error = NULL;
  TendStore *worker;

  t->conversation_id = g_strdup (task_data);
  g_mutex_lock (&r->lock);
  worker = reader_get (r, &error);
  if (worker != NULL && !g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      t->thread = tend_messages_list_thread (worker, t->conversation_id, &error);
      if (t->thread != NULL)
        t->markers = tend_messages_list_read_markers (worker, t->conversation_id, NULL);
    }
  g_mutex_unlock (&r->lock);
  if (t->thread == NULL)
    {
      thread_read_free (t);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, t, (GDestroyNotify) thread_read_free);
}

static void
on_thread_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  TendMessagesPage *self = TEND_MESSAGES_PAGE (source);
  g_autoptr(GError) error = NULL;
  ThreadRead *t = g_task_propagate_pointer (G_TASK (result), &error);
  GArray *rids;
  guint old;
  GtkWidget *window;

  self->reads--;
  if (t == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  /* Another conversation opened meanwhile (its read was cancelled, but
   * this one may have finished first). */
  if (g_strcmp0 (t->conversation_id, self->open_id) != 0 || self->store == NULL)
    {
      thread_read_free (t);
      return;
    }
  rids = t->thread;
  show_header (self);
  g_clear_pointer (&self->markers, g_ptr_array_unref);
  self->markers = g_steal_pointer (&t->markers);
  old = g_list_model_get_n_items (G_LIST_MODEL (self->rids));
  {
    g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < rids->len; i++)
      g_ptr_array_add (strings, g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (rids, gint64, i)));
    g_ptr_array_add (strings, NULL);
    gtk_string_list_splice (self->rids, 0, old, (const char * const *) strings->pdata);
  }
  /* The newest at the bottom, in view (once the list has its new height). */
  if (rids->len > 0 && self->scroll_id == 0)
    self->scroll_id = g_timeout_add (30, scroll_to_end_cb, self);
  /* Read when it is on screen, in a window in front. */
  window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  if (gtk_widget_get_mapped (GTK_WIDGET (self->view)) && window != NULL &&
      gtk_window_is_active (GTK_WINDOW (window)) &&
      !tend_messages_mark_read (self->store, self->open_id, &error))
    toast (self, error->message);
  thread_read_free (t);
}

/* Reads the open conversation's thread again, in a thread. */
static void
reload_open (TendMessagesPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->open_id == NULL || self->reader == NULL)
    return;
  if (self->open_cancel == NULL)
    self->open_cancel = g_cancellable_new ();
  task = g_task_new (self, self->open_cancel, on_thread_read_cb, NULL);
  g_task_set_source_tag (task, reload_open);
  g_task_set_task_data (task, g_strdup (self->open_id), g_free);
  g_object_set_data_full (G_OBJECT (task), "reader", reader_ref (self->reader), (GDestroyNotify) reader_unref);
  self->reads++;
  g_task_run_in_thread (task, read_thread_thread);
}

static void
read_list_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Reader *r = task_data;
  GPtrArray *list = NULL;
  GError *error = NULL;
  TendStore *worker;

  g_mutex_lock (&r->lock);
  worker = reader_get (r, &error);
  if (worker != NULL && !g_cancellable_set_error_if_cancelled (cancellable, &error))
    list = tend_messages_list_conversations (worker, NULL, &error);
  g_mutex_unlock (&r->lock);
  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_list_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  TendMessagesPage *self = TEND_MESSAGES_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *child;
  guint unread = 0;

  self->reads--;
  if (list == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->store == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  if (list == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    {
      TendConversationSummary *s = list->pdata[i];
      GtkWidget *row = summary_row (self, s);

      unread += s->unread;
      gtk_list_box_append (self->list, row);
      if (g_strcmp0 (self->open_id, tend_record_get_id (TEND_RECORD (s->conversation))) == 0)
        gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
    }
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search)) == '\0')
    gtk_stack_set_visible_child_name (self->list_stack, list->len > 0 ? "list" : "empty");
  set_unread (self, unread);
}

/* Reads the conversation list again, in a thread; a read still running is
 * cancelled (its answer would be older). */
static void
refresh_list (TendMessagesPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL || self->reader == NULL)
    return;
  cancel_and_clear (&self->list_cancel);
  self->list_cancel = g_cancellable_new ();
  task = g_task_new (self, self->list_cancel, on_list_read_cb, NULL);
  g_task_set_source_tag (task, refresh_list);
  g_task_set_task_data (task, reader_ref (self->reader), (GDestroyNotify) reader_unref);
  self->reads++;
  g_task_run_in_thread (task, read_list_thread);
}

static gboolean
refresh_cb (gpointer data)
{
  TendMessagesPage *self = data;

  self->refresh_id = 0;
  reload_open (self);
  refresh_list (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (TendMessagesPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (50, refresh_cb, self);
}

/* A new message by someone else: a notification naming only the sender
 * (never the text: it may show on a locked screen). */
static void
maybe_notify (TendMessagesPage *self,
              const char       *message_id)
{
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(GNotification) n = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GDateTime) sent = NULL;
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  GApplication *app = g_application_get_default ();
  TendMessage *m;

  if (message_id == NULL || g_hash_table_contains (self->notified, message_id) || app == NULL)
    return;
  record = tend_store_load (self->store, TEND_TYPE_MESSAGE, message_id, NULL);
  if (record == NULL)
    return;
  m = TEND_MESSAGE (record);
  g_hash_table_add (self->notified, g_strdup (message_id));
  sent = tend_time_parse_iso8601 (tend_message_get_sent_at (m), NULL);
  if (g_strcmp0 (tend_message_get_author_id (m), me (self)) == 0 || tend_message_is_withdrawn (m) ||
      tend_message_is_edited (m) || sent == NULL ||
      g_get_real_time () - tend_time_to_unix_usec (sent) > 10 * G_TIME_SPAN_MINUTE)
    return;
  if (window != NULL && gtk_window_is_active (GTK_WINDOW (window)) && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      g_strcmp0 (self->open_id, tend_message_get_conversation_id (m)) == 0)
    return;
  name = tend_message_is_from_client (m) ? g_strdup (_("a client")) : person_name (self, tend_message_get_author_id (m));
  title = g_strdup_printf (_("New message from %s"), name);
  n = g_notification_new (title);
  g_notification_set_default_action_and_target (n, "app.show-conversation", "s", tend_message_get_conversation_id (m));
  g_application_send_notification (app, "tend-message", n);
}

static void
on_store_changed_cb (TendStore        *store,
                     const char       *type_name,
                     const char       *id,
                     TendMessagesPage *self)
{
  if (g_strcmp0 (type_name, "message") != 0 && g_strcmp0 (type_name, "conversation") != 0 &&
      g_strcmp0 (type_name, "read_marker") != 0 && g_strcmp0 (type_name, "staff") != 0)
    return;
  if (g_strcmp0 (type_name, "message") == 0)
    maybe_notify (self, id);
  schedule_refresh (self);
}

/* Messages */

static void
on_attachment_saved_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      data)
{
  g_autoptr(TendMessagesPage) self = data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    toast (self, error->message);
  else
    toast (self, _("File saved"));
}

static void
on_save_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         data)
{
  TendMessagesPage *self = g_object_get_data (G_OBJECT (dialog), "page");
  GBytes *bytes = g_object_get_data (G_OBJECT (dialog), "bytes");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL,
                                           on_attachment_saved_cb, g_object_ref (self));
    }
  g_object_unref (dialog);
}

typedef struct
{
  TendMessage *message;
  char        *sha256;
  char        *name;
  char        *mime_type;
  GBytes      *bytes;
} AttachmentRead;

static void
attachment_read_free (AttachmentRead *a)
{
  g_clear_object (&a->message);
  g_free (a->sha256);
  g_free (a->name);
  g_free (a->mime_type);
  g_clear_pointer (&a->bytes, g_bytes_unref);
  g_free (a);
}

/* Decrypts (and checks, and audits) an attachment's bytes, in a thread. */
static void
read_attachment_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Reader *r = g_object_get_data (G_OBJECT (task), "reader");
  AttachmentRead *a = task_data;
  GError *error = NULL;
  TendStore *worker;
  GBytes *bytes = NULL;

  g_mutex_lock (&r->lock);
  worker = reader_get (r, &error);
  if (worker != NULL && !g_cancellable_set_error_if_cancelled (cancellable, &error))
    bytes = tend_messages_read_attachment (worker, a->message, a->sha256, &error);
  g_mutex_unlock (&r->lock);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/* Opens an attachment Tend can show (a PDF or an image) in a window of its
 * own, with Save As; saves anything else where the person chooses.  The
 * bytes are decrypted only into memory, or into the file they name. */
static void
on_attachment_read_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  TendMessagesPage *self = TEND_MESSAGES_PAGE (source);
  AttachmentRead *a = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);
  GtkFileChooserNative *dialog;

  self->reads--;
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  if (tend_document_view_can_show (a->mime_type))
    {
      TendDocumentWindow *window = tend_document_window_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                             a->name, bytes, a->mime_type);

      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  dialog = gtk_file_chooser_native_new (_("Save Attachment"),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), a->name);
  g_object_set_data (G_OBJECT (dialog), "page", self);
  g_object_set_data_full (G_OBJECT (dialog), "bytes", g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_attachment_clicked_cb (GtkButton        *button,
                          TendMessagesPage *self)
{
  AttachmentRead *a;
  g_autoptr(GTask) task = NULL;

  if (self->reader == NULL)
    return;
  a = g_new0 (AttachmentRead, 1);
  a->message = g_object_ref (g_object_get_data (G_OBJECT (button), "message"));
  a->sha256 = g_strdup (g_object_get_data (G_OBJECT (button), "sha256"));
  a->name = g_strdup (g_object_get_data (G_OBJECT (button), "name"));
  a->mime_type = g_strdup (g_object_get_data (G_OBJECT (button), "mime-type"));
  if (self->open_cancel == NULL)
    self->open_cancel = g_cancellable_new ();
  self->reads++;
  task = g_task_new (self, self->open_cancel, on_attachment_read_cb, NULL);
  g_task_set_source_tag (task, on_attachment_clicked_cb);
  g_task_set_task_data (task, a, (GDestroyNotify) attachment_read_free);
  g_object_set_data_full (G_OBJECT (task), "reader", reader_ref (self->reader), (GDestroyNotify) reader_unref);
  g_task_run_in_thread (task, read_attachment_thread);
}

static void
on_withdraw_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         TendMessagesPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "message-id");
  g_autoptr(TendMessage) m = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "withdraw") != 0)
    return;
  m = tend_messages_withdraw (self->store, id, &error);
  if (m == NULL)
    toast (self, error->message);
}

static void
on_withdraw_clicked_cb (GtkButton        *button,
                        TendMessagesPage *self)
{
  TendMessage *m = g_object_get_data (G_OBJECT (button), "message");
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Withdraw Message?"),
                                                       _("The others will see that it was withdrawn. "
                                                         "It stays in the practice’s record.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "withdraw", _("_Withdraw"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "withdraw", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "message-id", g_strdup (tend_record_get_id (TEND_RECORD (m))), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_withdraw_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_edit_clicked_cb (GtkButton        *button,
                    TendMessagesPage *self)
{
  TendMessage *m = g_object_get_data (G_OBJECT (button), "message");

  g_free (self->editing_id);
  self->editing_id = g_strdup (tend_record_get_id (TEND_RECORD (m)));
  self->loading_draft = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->compose), tend_message_get_text (m), -1);
  self->loading_draft = FALSE;
  gtk_label_set_text (self->compose_status, _("Editing your message"));
  gtk_widget_set_visible (GTK_WIDGET (self->compose_status), TRUE);
  gtk_button_set_label (self->send, _("Save"));
  gtk_widget_grab_focus (GTK_WIDGET (self->compose));
}

static void
setup_message_cb (GtkListItemFactory *factory,
                  GtkListItem        *item,
                  TendMessagesPage   *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_label_new (NULL);
  GtkWidget *body = gtk_label_new (NULL);
  GtkWidget *files = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *info = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_add_css_class (header, "caption-heading");
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  gtk_widget_add_css_class (info, "caption");
  gtk_widget_add_css_class (info, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (info), 0);
  gtk_widget_set_hexpand (info, TRUE);
  gtk_label_set_wrap (GTK_LABEL (info), TRUE);
  gtk_box_append (GTK_BOX (footer), info);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 8);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);
  gtk_widget_set_margin_bottom (body, 8);
  gtk_widget_set_margin_start (files, 12);
  gtk_widget_set_margin_end (files, 12);
  gtk_widget_set_margin_start (footer, 12);
  gtk_widget_set_margin_end (footer, 6);
  gtk_widget_set_margin_bottom (footer, 6);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), body);
  gtk_box_append (GTK_BOX (box), files);
  gtk_box_append (GTK_BOX (box), footer);
  g_object_set_data (G_OBJECT (box), "header", header);
  g_object_set_data (G_OBJECT (box), "body", body);
  g_object_set_data (G_OBJECT (box), "files", files);
  g_object_set_data (G_OBJECT (box), "footer", footer);
  g_object_set_data (G_OBJECT (box), "info", info);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static GtkWidget *
small_button (const char *label,
              const char *icon)
{
  GtkWidget *b = icon != NULL ? gtk_button_new_from_icon_name (icon) : gtk_button_new_with_label (label);

  gtk_widget_add_css_class (b, "flat");
  gtk_widget_add_css_class (b, "caption");
  if (icon != NULL)
    gtk_widget_set_tooltip_text (b, label);
  return b;
}

/* Who of the others has read up to @m. */
static char *
readers_of (TendMessagesPage *self,
            TendMessage      *m)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) sent = tend_time_parse_iso8601 (tend_message_get_sent_at (m), NULL);

  for (guint i = 0; self->markers != NULL && sent != NULL && i < self->markers->len; i++)
    {
      TendRecord *marker = self->markers->pdata[i];
      g_autoptr(GDateTime) upto = tend_time_parse_iso8601 (tend_record_get_string (marker, "read_upto"), NULL);
      const char *who = tend_record_get_string (marker, "staff_id");

      if (upto != NULL && g_date_time_compare (upto, sent) >= 0 && g_strcmp0 (who, me (self)) != 0)
        {
          g_autofree char *name = person_name (self, who);
          g_autofree char *at = message_time (self, tend_record_get_string (marker, "read_at"));

          /* TRANSLATORS: a reader and when they read it */
          g_ptr_array_add (names, g_strdup_printf (_("%s at %s"), name, at));
        }
    }
  if (names->len == 0)
    return NULL;
  g_ptr_array_add (names, NULL);
  {
    g_autofree char *joined = g_strjoinv (", ", (char **) names->pdata);

    return g_strdup_printf (_("Read by %s"), joined);
  }
}

/* "Olga Owens added Sam Second and Cy Clinician", for the @index-th
 * addition of the open conversation. */
static char *
addition_text (TendMessagesPage *self,
               gint64            index)
{
  TendConversationAddition *a;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *who = NULL;
  g_autofree char *whom = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *when = NULL;

  if (self->additions == NULL || index < 0 || index >= self->additions->len)
    return g_strdup ("");
  a = self->additions->pdata[index];
  who = g_strcmp0 (a->by, me (self)) == 0 ? g_strdup (_("You")) : person_name (self, a->by);
  for (guint i = 0; a->members[i] != NULL; i++)
    g_ptr_array_add (names, g_strcmp0 (a->members[i], me (self)) == 0 ? g_strdup (_("you"))
                                                                       : person_name (self, a->members[i]));
  g_ptr_array_add (names, NULL);
  whom = g_strjoinv (", ", (char **) names->pdata);
  when = short_time (self, a->at_usec);
  /* TRANSLATORS: a line in a conversation: who added whom (a list of
   * names), and when */
  return g_strdup_printf (_("%s added %s · %s"), who, whom, when);
}

/* A row shows either a message (a card) or a line of its own. */
static void
set_system_line (GtkWidget *box,
                 gboolean   system)
{
  GtkWidget *header = g_object_get_data (G_OBJECT (box), "header");

  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "body"), !system);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "files"), !system);
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "footer"), !system);
  if (system)
    {
      gtk_widget_remove_css_class (box, "card");
      gtk_widget_remove_css_class (header, "caption-heading");
      gtk_widget_add_css_class (header, "caption");
      gtk_widget_add_css_class (header, "dim-label");
      gtk_label_set_wrap (GTK_LABEL (header), TRUE);
      gtk_label_set_xalign (GTK_LABEL (header), 0.5);
      gtk_label_set_justify (GTK_LABEL (header), GTK_JUSTIFY_CENTER);
      gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (box, -1, -1);
    }
  else
    {
      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (header, "caption-heading");
      gtk_widget_remove_css_class (header, "caption");
      gtk_widget_remove_css_class (header, "dim-label");
      gtk_label_set_wrap (GTK_LABEL (header), FALSE);
      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_label_set_justify (GTK_LABEL (header), GTK_JUSTIFY_LEFT);
    }
}

static void
bind_message_cb (GtkListItemFactory *factory,
                 GtkListItem        *item,
                 TendMessagesPage   *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkLabel *header = g_object_get_data (G_OBJECT (box), "header");
  GtkLabel *body = g_object_get_data (G_OBJECT (box), "body");
  GtkBox *files = g_object_get_data (G_OBJECT (box), "files");
  GtkBox *footer = g_object_get_data (G_OBJECT (box), "footer");
  GtkLabel *info = g_object_get_data (G_OBJECT (box), "info");
  GtkStringObject *s = gtk_list_item_get_item (item);
  gint64 rid = g_ascii_strtoll (gtk_string_object_get_string (s), NULL, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendMessage) m = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GPtrArray) attachments = NULL;
  g_autofree char *who = NULL;
  g_autofree char *when = NULL;
  g_autofree char *head = NULL;
  gboolean mine;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (files))) != NULL)
    gtk_box_remove (files, child);
  while ((child = gtk_widget_get_last_child (GTK_WIDGET (footer))) != GTK_WIDGET (info))
    gtk_box_remove (footer, child);
  /* People added: a line of its own, not a message. */
  set_system_line (box, rid < 0);
  if (rid < 0)
    {
      g_autofree char *text = addition_text (self, -rid - 1);

      gtk_label_set_text (header, text);
      return;
    }
  m = tend_messages_load (self->store, rid, &error);
  if (m == NULL)
    {
      gtk_label_set_text (header, "");
      gtk_label_set_text (body, error != NULL ? error->message : _("The message cannot be read."));
      return;
    }
  mine = g_strcmp0 (tend_message_get_author_id (m), me (self)) == 0;
  who = tend_message_is_from_client (m) ? g_strdup (self->client_name != NULL ? self->client_name : _("Client"))
        : mine ? g_strdup (_("You"))
        : person_name (self, tend_message_get_author_id (m));
  when = message_time (self, tend_message_get_sent_at (m));
  /* TRANSLATORS: the author and the time of a message */
  head = g_strdup_printf (_("%s · %s"), who, when);
  gtk_label_set_text (header, head);
  gtk_widget_set_halign (box, mine ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_widget_set_size_request (box, 240, -1);

  if (tend_message_is_withdrawn (m))
    {
      gtk_label_set_text (body, _("This message was withdrawn."));
      gtk_widget_add_css_class (GTK_WIDGET (body), "dim-label");
    }
  else
    {
      gtk_label_set_text (body, tend_message_get_text (m));
      gtk_widget_remove_css_class (GTK_WIDGET (body), "dim-label");
      attachments = tend_message_dup_attachments (m);
      for (guint i = 0; i < attachments->len; i++)
        {
          TendAttachment *a = attachments->pdata[i];
          g_autofree char *size = g_format_size ((guint64) a->size);
          g_autofree char *label = g_strdup_printf ("%s (%s)", a->name, size);
          GtkWidget *b = gtk_button_new ();
          GtkWidget *content = adw_button_content_new ();

          adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content),
                                            g_str_has_prefix (a->mime_type, "image/") ? "image-x-generic-symbolic"
                                                                                      : "x-office-document-symbolic");
          adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
          gtk_button_set_child (GTK_BUTTON (b), content);
          gtk_widget_set_tooltip_text (b, tend_document_view_can_show (a->mime_type) ? _("Open this file")
                                                                                    : _("Save this file"));
          gtk_widget_set_halign (b, GTK_ALIGN_START);
          g_object_set_data_full (G_OBJECT (b), "message", g_object_ref (m), g_object_unref);
          g_object_set_data_full (G_OBJECT (b), "sha256", g_strdup (a->sha256), g_free);
          g_object_set_data_full (G_OBJECT (b), "name", g_strdup (a->name), g_free);
          g_object_set_data_full (G_OBJECT (b), "mime-type", g_strdup (a->mime_type), g_free);
          g_signal_connect (b, "clicked", G_CALLBACK (on_attachment_clicked_cb), self);
          gtk_box_append (files, b);
        }
    }

  if (tend_message_is_edited (m) && !tend_message_is_withdrawn (m))
    g_string_append (line, _("Edited"));
  if (mine && self->has_server && tend_record_get_version (TEND_RECORD (m)) == 0)
    {
      if (line->len > 0)
        g_string_append (line, " · ");
      g_string_append (line, _("Waiting to send"));
    }
  if (mine)
    {
      g_autofree char *readers = readers_of (self, m);

      if (readers != NULL)
        {
          if (line->len > 0)
            g_string_append (line, " · ");
          g_string_append (line, readers);
        }
    }
  gtk_label_set_text (info, line->str);
  /* No empty line at the bottom of the card when there is nothing to say. */
  gtk_widget_set_visible (GTK_WIDGET (footer), line->len > 0 || (mine && tend_message_may_change (m, g_get_real_time ())));
  if (mine && tend_message_may_change (m, g_get_real_time ()))
    {
      GtkWidget *edit = small_button (_("Edit"), "document-edit-symbolic");
      GtkWidget *withdraw = small_button (_("Withdraw"), "edit-undo-symbolic");

      g_object_set_data_full (G_OBJECT (edit), "message", g_object_ref (m), g_object_unref);
      g_object_set_data_full (G_OBJECT (withdraw), "message", g_object_ref (m), g_object_unref);
      g_signal_connect (edit, "clicked", G_CALLBACK (on_edit_clicked_cb), self);
      g_signal_connect (withdraw, "clicked", G_CALLBACK (on_withdraw_clicked_cb), self);
      gtk_box_append (footer, edit);
      gtk_box_append (footer, withdraw);
    }
}

/* Composing */

static void
update_send_sensitivity (TendMessagesPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->compose);
  GtkTextIter a, b;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &a, &b);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &a, &b, FALSE));
  gtk_widget_set_sensitive (GTK_WIDGET (self->send), *text != '\0' || self->pending->len > 0);
}

static gboolean
save_draft_cb (gpointer data)
{
  TendMessagesPage *self = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->compose);
  GtkTextIter a, b;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  self->draft_id = 0;
  if (self->open_id == NULL || self->editing_id != NULL)
    return G_SOURCE_REMOVE;
  gtk_text_buffer_get_bounds (buffer, &a, &b);
  text = gtk_text_buffer_get_text (buffer, &a, &b, FALSE);
  if (!tend_messages_set_draft (self->store, self->open_id, text, &error))
    toast (self, error->message);
  return G_SOURCE_REMOVE;
}

static void
flush_draft (TendMessagesPage *self)
{
  if (self->draft_id != 0)
    {
      g_source_remove (self->draft_id);
      save_draft_cb (self);
    }
}

static void
on_compose_changed_cb (GtkTextBuffer    *buffer,
                       TendMessagesPage *self)
{
  update_send_sensitivity (self);
  if (self->loading_draft)
    return;
  if (self->draft_id != 0)
    g_source_remove (self->draft_id);
  self->draft_id = g_timeout_add (400, save_draft_cb, self);
}

static void
clear_compose (TendMessagesPage *self)
{
  GtkWidget *child;

  g_clear_pointer (&self->editing_id, g_free);
  g_ptr_array_set_size (self->pending, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pending_box))) != NULL)
    gtk_box_remove (self->pending_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_box), FALSE);
  self->loading_draft = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->compose), "", -1);
  self->loading_draft = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->compose_status), FALSE);
  gtk_button_set_label (self->send, _("Send"));
  update_send_sensitivity (self);
}

static void
send_clicked_cb (TendMessagesPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->compose);
  GtkTextIter a, b;
  g_autofree char *text = NULL;
  g_autoptr(TendMessage) m = NULL;
  g_autoptr(GError) error = NULL;

  if (self->open_id == NULL || !gtk_widget_get_sensitive (GTK_WIDGET (self->send)))
    return;
  gtk_text_buffer_get_bounds (buffer, &a, &b);
  text = gtk_text_buffer_get_text (buffer, &a, &b, FALSE);
  if (self->draft_id != 0)
    g_clear_handle_id (&self->draft_id, g_source_remove);
  if (self->editing_id != NULL)
    m = tend_messages_edit (self->store, self->editing_id, text, &error);
  else
    m = tend_messages_send (self->store, self->open_id, text, self->pending, &error);
  if (m == NULL)
    {
      /* Nothing typed is lost: the text stays in the box (and the draft). */
      gtk_label_set_text (self->compose_status, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->compose_status), TRUE);
      return;
    }
  clear_compose (self);
  reload_open (self);
}

static gboolean
on_compose_key_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   TendMessagesPage      *self)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && (state & GDK_CONTROL_MASK))
    {
      send_clicked_cb (self);
      return GDK_EVENT_STOP;
    }
  if (keyval == GDK_KEY_Escape && self->editing_id != NULL)
    {
      clear_compose (self);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
remove_pending_cb (GtkButton        *button,
                   TendMessagesPage *self)
{
  gpointer file = g_object_get_data (G_OBJECT (button), "file");

  g_ptr_array_remove (self->pending, file);
  gtk_box_remove (self->pending_box, gtk_widget_get_parent (GTK_WIDGET (button)));
  gtk_widget_set_visible (GTK_WIDGET (self->pending_box), self->pending->len > 0);
  update_send_sensitivity (self);
}

static void
on_file_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_autoptr(TendMessagesPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autoptr(GBytes) bytes = NULL;
  TendOutgoingFile *file;
  gsize len = 0;
  GtkWidget *chip, *label, *remove;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &len, NULL, &error))
    {
      toast (self, error->message);
      return;
    }
  if (len > TEND_DOCUMENT_MAX_SIZE)
    {
      toast (self, _("The file is too large to attach (50 MB at most)."));
      return;
    }
  type = g_content_type_guess (name, (const guchar *) contents, len, NULL);
  mime = g_content_type_get_mime_type (type);
  if (!tend_document_mime_type_is_supported (mime))
    {
      toast (self, _("Only PDF, PNG and JPEG files can be attached."));
      return;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  file = tend_outgoing_file_new (name, mime, bytes);
  g_ptr_array_add (self->pending, file);

  chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  label = gtk_label_new (name);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  g_object_set_data (G_OBJECT (remove), "file", file);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_pending_cb), self);
  gtk_box_append (GTK_BOX (chip), gtk_image_new_from_icon_name ("mail-attachment-symbolic"));
  gtk_box_append (GTK_BOX (chip), label);
  gtk_box_append (GTK_BOX (chip), remove);
  gtk_box_append (self->pending_box, chip);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_box), TRUE);
  update_send_sensitivity (self);
}

static void
on_attach_response_cb (GtkNativeDialog  *dialog,
                       int               response,
                       TendMessagesPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_file_load_contents_async (file, NULL, on_file_loaded_cb, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
attach_clicked_cb (TendMessagesPage *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PDF and Images"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  dialog = gtk_file_chooser_native_new (_("Attach a File"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_attach_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Opening */

static void
open_conversation (TendMessagesPage *self,
                   const char       *id,
                   gboolean          navigate)
{
  g_autoptr(TendConversation) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *draft = NULL;

  flush_draft (self);
  c = tend_messages_open (self->store, id, &error);
  if (c == NULL)
    {
      toast (self, error->message);
      return;
    }
  if (g_strcmp0 (self->open_id, id) != 0)
    cancel_and_clear (&self->open_cancel);
  g_free (self->open_id);
  self->open_id = g_strdup (id);
  clear_compose (self);
  show_header (self);
  draft = tend_messages_get_draft (self->store, id);
  if (draft != NULL)
    {
      self->loading_draft = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->compose), draft, -1);
      self->loading_draft = FALSE;
      update_send_sensitivity (self);
    }
  gtk_stack_set_visible_child_name (self->conversation_stack, "conversation");
  if (navigate)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  reload_open (self);
  refresh_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->compose));
}

static void
on_row_activated_cb (GtkListBox       *box,
                     GtkListBoxRow    *row,
                     TendMessagesPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "conversation-id");

  if (id != NULL)
    open_conversation (self, id, TRUE);
}

static void
back_clicked_cb (TendMessagesPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_folded_cb (TendMessagesPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->back), adw_leaflet_get_folded (self->leaflet));
}

/* Search */

static void
on_search_changed_cb (GtkSearchEntry   *entry,
                      TendMessagesPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  if (self->store == NULL)
    return;
  if (*text == '\0')
    {
      refresh_list (self);
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
  hits = tend_messages_search (self->store, text, 50, &error);
  if (hits == NULL)
    {
      toast (self, error->message);
      return;
    }
  for (guint i = 0; i < hits->len; i++)
    {
      g_autoptr(TendMessage) m = tend_messages_load (self->store, g_array_index (hits, gint64, i), NULL);
      g_autoptr(TendRecord) c = NULL;
      g_autofree char *title = NULL;
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *flat = NULL;
      GtkWidget *row;

      if (m == NULL)
        continue;
      c = tend_store_load (self->store, TEND_TYPE_CONVERSATION, tend_message_get_conversation_id (m), NULL);
      if (c == NULL)
        continue;
      title = conversation_title (self, TEND_CONVERSATION (c));
      when = message_time (self, tend_message_get_sent_at (m));
      flat = g_strdelimit (g_strdup (tend_message_get_text (m)), "\n\r\t", ' ');
      subtitle = g_strdup_printf ("%s · %s", when, flat);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "conversation-id",
                              g_strdup (tend_message_get_conversation_id (m)), g_free);
      gtk_list_box_append (self->results, row);
    }
  gtk_stack_set_visible_child_name (self->list_stack, hits->len > 0 ? "results" : "no-results");
}

/* New conversation, and Add People: one dialog choosing colleagues */

typedef struct
{
  TendMessagesPage *self;
  GtkWindow        *window;
  GPtrArray        *checks;   /* GtkCheckButton, "staff-id" data */
  AdwEntryRow      *subject;  /* (nullable): a new conversation's */
  GtkSwitch        *clinical; /* (nullable): a new conversation's */
  GtkLabel         *error;
  char             *conversation_id;  /* (nullable): the one people are added to */
} Compose;

static void
compose_free (Compose *c)
{
  g_ptr_array_unref (c->checks);
  g_free (c->conversation_id);
  g_free (c);
}

static void
compose_show_error (Compose      *c,
                    const GError *error)
{
  gtk_label_set_text (c->error, error->message);
  gtk_widget_set_visible (GTK_WIDGET (c->error), TRUE);
}

/* The staff ids ticked, %NULL-terminated. */
static GPtrArray *
compose_chosen (Compose *c)
{
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < c->checks->len; i++)
    if (gtk_check_button_get_active (c->checks->pdata[i]))
      g_ptr_array_add (ids, g_object_get_data (c->checks->pdata[i], "staff-id"));
  g_ptr_array_add (ids, NULL);
  return ids;
}

static void
compose_start_cb (GtkButton *button,
                  Compose   *c)
{
  g_autoptr(GPtrArray) ids = compose_chosen (c);
  g_autoptr(TendConversation) conversation = NULL;
  g_autoptr(GError) error = NULL;
  const char *subject = gtk_editable_get_text (GTK_EDITABLE (c->subject));

  conversation = tend_messages_start (c->self->store, (const char * const *) ids->pdata,
                                      *subject != '\0' ? subject : NULL, NULL,
                                      gtk_switch_get_active (c->clinical), FALSE, &error);
  if (conversation == NULL)
    {
      compose_show_error (c, error);
      return;
    }
  open_conversation (c->self, tend_record_get_id (TEND_RECORD (conversation)), TRUE);
  gtk_window_destroy (c->window);
}

static void
add_people_cb (GtkButton *button,
               Compose   *c)
{
  g_autoptr(GPtrArray) ids = compose_chosen (c);
  g_autoptr(TendConversation) conversation = NULL;
  g_autoptr(GError) error = NULL;

  conversation = tend_messages_add_members (c->self->store, c->conversation_id,
                                            (const char * const *) ids->pdata, &error);
  if (conversation == NULL)
    {
      compose_show_error (c, error);
      return;
    }
  reload_open (c->self);
  gtk_window_destroy (c->window);
}

/* A dialog choosing colleagues: for a new conversation (@adding_to %NULL:
 * with its subject and clinical switch), or to add to @adding_to (its
 * members and, when it is clinical, the roles that do not read clinical
 * records are not offered). */
static Compose *
people_dialog (TendMessagesPage *self,
               TendConversation *adding_to)
{
  g_autoptr(GPtrArray) staff = tend_store_list (self->store, TEND_TYPE_STAFF, NULL);
  GtkWidget *window, *toolbar, *header, *cancel, *start, *page, *group, *scroller, *box, *row;
  Compose *c = g_new0 (Compose, 1);

  c->self = self;
  c->checks = g_ptr_array_new ();
  if (adding_to != NULL)
    c->conversation_id = g_strdup (tend_record_get_id (TEND_RECORD (adding_to)));

  window = adw_window_new ();
  c->window = GTK_WINDOW (window);
  g_object_set_data_full (G_OBJECT (window), "compose", c, (GDestroyNotify) compose_free);
  gtk_window_set_title (GTK_WINDOW (window), adding_to != NULL ? _("Add People") : _("New Conversation"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 560);

  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  start = gtk_button_new_with_mnemonic (adding_to != NULL ? _("_Add") : _("_Start"));
  gtk_widget_add_css_class (start, "suggested-action");
  g_signal_connect (start, "clicked", adding_to != NULL ? G_CALLBACK (add_people_cb) : G_CALLBACK (compose_start_cb), c);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), start);
  gtk_box_append (GTK_BOX (toolbar), header);

  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_start (page, 12);
  gtk_widget_set_margin_end (page, 12);
  gtk_widget_set_margin_top (page, 12);
  gtk_widget_set_margin_bottom (page, 12);

  c->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (c->error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (c->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (c->error), FALSE);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (c->error));

  if (adding_to == NULL)
    {
      GtkWidget *options = adw_preferences_group_new ();

      c->subject = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (c->subject), _("Subject (optional)"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (options), GTK_WIDGET (c->subject));
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Clinical"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Only staff who read clinical records can be in it"));
      c->clinical = GTK_SWITCH (gtk_switch_new ());
      gtk_widget_set_valign (GTK_WIDGET (c->clinical), GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (c->clinical));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (c->clinical));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (options), row);
      gtk_box_append (GTK_BOX (page), options);
    }

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), adding_to != NULL ? _("People to Add") : _("To"));
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      TendStaff *s = staff->pdata[i];
      const char *id = tend_record_get_id (TEND_RECORD (s));
      g_autofree char *name = tend_staff_dup_display_name (s);
      GtkWidget *check;

      if (g_strcmp0 (id, me (self)) == 0 || !tend_staff_get_active (s))
        continue;
      if (adding_to != NULL &&
          (tend_conversation_has_member (adding_to, id) ||
           (tend_conversation_is_clinical (adding_to) &&
            !tend_role_can (tend_staff_get_role (s), TEND_PERMISSION_VIEW_CLINICAL))))
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), tend_role_get_label (tend_staff_get_role (s)));
      check = gtk_check_button_new ();
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data_full (G_OBJECT (check), "staff-id", g_strdup (id), g_free);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      g_ptr_array_add (c->checks, check);
    }
  if (adding_to != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           c->checks->len == 0
                                           ? _("Everyone who may join is in this conversation already.")
                                           : _("They will see the whole conversation, earlier messages included."));
  else if (c->checks->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                           _("Nobody else is on the practice’s staff yet."));
  gtk_box_append (GTK_BOX (page), group);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  box = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (box), page);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_box_append (GTK_BOX (toolbar), scroller);
  adw_window_set_content (ADW_WINDOW (window), toolbar);
  gtk_window_present (GTK_WINDOW (window));
  return c;
}

void
tend_messages_page_compose (TendMessagesPage *self)
{
  g_return_if_fail (TEND_IS_MESSAGES_PAGE (self));
  if (self->store == NULL)
    return;
  people_dialog (self, NULL);
}

/**
 * tend_messages_page_add_people:
 *
 * Opens "Add People" for the open conversation.
 *
 * Returns: (transfer none) (nullable): the dialog's window
 */
GtkWindow *
tend_messages_page_add_people (TendMessagesPage *self)
{
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TEND_IS_MESSAGES_PAGE (self), NULL);
  if (self->store == NULL || self->open_id == NULL)
    return NULL;
  record = tend_store_load (self->store, TEND_TYPE_CONVERSATION, self->open_id, &error);
  if (record == NULL)
    {
      toast (self, error->message);
      return NULL;
    }
  return people_dialog (self, TEND_CONVERSATION (record))->window;
}

/* Building */

static GtkWidget *
build_list_pane (TendMessagesPage *self)
{
  GtkWidget *pane = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *compose = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *scroller, *results_scroller, *empty, *none;

  gtk_widget_set_size_request (pane, 300, -1);
  gtk_widget_set_hexpand (pane, FALSE);
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->search, "placeholder-text", _("Search messages"), NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->search), TRUE);
  g_signal_connect (self->search, "search-changed", G_CALLBACK (on_search_changed_cb), self);
  gtk_widget_set_tooltip_text (compose, _("New Conversation (Ctrl+N)"));
  g_signal_connect_swapped (compose, "clicked", G_CALLBACK (tend_messages_page_compose), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->search));
  gtk_box_append (GTK_BOX (bar), compose);
  gtk_box_append (GTK_BOX (pane), bar);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated_cb), self);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));

  self->results = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->results), "navigation-sidebar");
  g_signal_connect (self->results, "row-activated", G_CALLBACK (on_row_activated_cb), self);
  results_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (results_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (results_scroller), GTK_WIDGET (self->results));

  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "mail-unread-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Conversations"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Start one with the + button to write to a colleague securely."));
  gtk_widget_add_css_class (empty, "compact");
  none = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (none), "system-search-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (none), _("No Results"));
  gtk_widget_add_css_class (none, "compact");

  self->list_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->list_stack), TRUE);
  gtk_stack_add_named (self->list_stack, scroller, "list");
  gtk_stack_add_named (self->list_stack, empty, "empty");
  gtk_stack_add_named (self->list_stack, results_scroller, "results");
  gtk_stack_add_named (self->list_stack, none, "no-results");
  gtk_box_append (GTK_BOX (pane), GTK_WIDGET (self->list_stack));
  return pane;
}

static GtkWidget *
build_conversation_pane (TendMessagesPage *self)
{
  GtkWidget *pane = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *conversation = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller, *compose_bar, *compose_scroller, *attach, *placeholder, *notice;
  GtkListItemFactory *factory;
  GtkEventController *keys;

  gtk_widget_set_hexpand (pane, TRUE);
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6);
  self->back = GTK_BUTTON (gtk_button_new_from_icon_name ("go-previous-symbolic"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->back), _("Back to Conversations"));
  g_signal_connect_swapped (self->back, "clicked", G_CALLBACK (back_clicked_cb), self);
  self->title = ADW_WINDOW_TITLE (adw_window_title_new ("", ""));
  gtk_widget_set_hexpand (GTK_WIDGET (self->title), TRUE);
  self->add_people = GTK_BUTTON (gtk_button_new_from_icon_name ("contact-new-symbolic"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_people), _("Add People…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_people), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Add People…"), -1);
  g_signal_connect_swapped (self->add_people, "clicked", G_CALLBACK (tend_messages_page_add_people), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->back));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->add_people));
  gtk_box_append (GTK_BOX (conversation), bar);

  self->rids = gtk_string_list_new (NULL);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_message_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_message_cb), self);
  self->view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rids)))),
                                                 factory));
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "background");
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (conversation), scroller);

  self->pending_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6));
  gtk_widget_set_margin_start (GTK_WIDGET (self->pending_box), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_box), FALSE);
  gtk_box_append (GTK_BOX (conversation), GTK_WIDGET (self->pending_box));
  self->compose_status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->compose_status, TRUE);
  gtk_label_set_xalign (self->compose_status, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->compose_status), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->compose_status), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->compose_status), FALSE);
  gtk_box_append (GTK_BOX (conversation), GTK_WIDGET (self->compose_status));

  compose_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (compose_bar, "toolbar");
  attach = gtk_button_new_from_icon_name ("mail-attachment-symbolic");
  gtk_widget_set_tooltip_text (attach, _("Attach a File"));
  gtk_widget_set_valign (attach, GTK_ALIGN_END);
  g_signal_connect_swapped (attach, "clicked", G_CALLBACK (attach_clicked_cb), self);
  self->compose = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->compose, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->compose, FALSE);
  gtk_text_view_set_top_margin (self->compose, 6);
  gtk_text_view_set_bottom_margin (self->compose, 6);
  gtk_text_view_set_left_margin (self->compose, 6);
  gtk_text_view_set_right_margin (self->compose, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->compose), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message"), -1);
  g_signal_connect (gtk_text_view_get_buffer (self->compose), "changed", G_CALLBACK (on_compose_changed_cb), self);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_compose_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->compose), keys);
  compose_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (compose_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (compose_scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (compose_scroller), 160);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (compose_scroller), GTK_WIDGET (self->compose));
  gtk_widget_add_css_class (compose_scroller, "card");
  gtk_widget_set_hexpand (compose_scroller, TRUE);
  self->send = GTK_BUTTON (gtk_button_new_with_label (_("Send")));
  gtk_widget_add_css_class (GTK_WIDGET (self->send), "suggested-action");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send), _("Send (Ctrl+Enter)"));
  gtk_widget_set_valign (GTK_WIDGET (self->send), GTK_ALIGN_END);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send), FALSE);
  g_signal_connect_swapped (self->send, "clicked", G_CALLBACK (send_clicked_cb), self);
  gtk_box_append (GTK_BOX (compose_bar), attach);
  gtk_box_append (GTK_BOX (compose_bar), compose_scroller);
  gtk_box_append (GTK_BOX (compose_bar), GTK_WIDGET (self->send));
  gtk_box_append (GTK_BOX (conversation), compose_bar);

  placeholder = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (placeholder), "mail-unread-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (placeholder), _("No Conversation Selected"));
  adw_status_page_set_description (ADW_STATUS_PAGE (placeholder),
                                   _("Messages stay in the practice’s encrypted record, never in e-mail."));
  notice = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (notice), placeholder);
  gtk_widget_set_vexpand (placeholder, TRUE);

  self->conversation_stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->conversation_stack, notice, "empty");
  gtk_stack_add_named (self->conversation_stack, conversation, "conversation");
  gtk_widget_set_vexpand (GTK_WIDGET (self->conversation_stack), TRUE);
  gtk_box_append (GTK_BOX (pane), GTK_WIDGET (self->conversation_stack));
  return pane;
}

static void
compose_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  tend_messages_page_compose (TEND_MESSAGES_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  tend_messages_page_focus_search (TEND_MESSAGES_PAGE (widget));
}

static void
tend_messages_page_dispose (GObject *object)
{
  TendMessagesPage *self = TEND_MESSAGES_PAGE (object);

  flush_draft (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->scroll_id, g_source_remove);
  cancel_and_clear (&self->list_cancel);
  cancel_and_clear (&self->open_cancel);
  g_clear_pointer (&self->reader, reader_unref);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (tend_messages_page_parent_class)->dispose (object);
}

static void
tend_messages_page_finalize (GObject *object)
{
  TendMessagesPage *self = TEND_MESSAGES_PAGE (object);

  g_free (self->open_id);
  g_clear_pointer (&self->additions, g_ptr_array_unref);
  g_free (self->client_name);
  g_free (self->editing_id);
  g_ptr_array_unref (self->pending);
  g_clear_pointer (&self->markers, g_ptr_array_unref);
  g_hash_table_unref (self->notified);
  g_object_unref (self->rids);
  G_OBJECT_CLASS (tend_messages_page_parent_class)->finalize (object);
}

static void
tend_messages_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TendMessagesPage *self = TEND_MESSAGES_PAGE (object);

  switch (prop_id)
    {
    case PROP_UNREAD:
      g_value_set_uint (value, self->unread);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_messages_page_class_init (TendMessagesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_messages_page_dispose;
  object_class->finalize = tend_messages_page_finalize;
  object_class->get_property = tend_messages_page_get_property;

  properties[PROP_UNREAD] = g_param_spec_uint ("unread", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "messages.compose", NULL, compose_action);
  gtk_widget_class_install_action (widget_class, "messages.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "messages.compose", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "messages.search", NULL);
}

static void
tend_messages_page_init (TendMessagesPage *self)
{
  GtkWidget *list_pane, *separator, *conversation_pane;
  AdwLeafletPage *page;

  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_outgoing_file_free);
  self->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->leaflet = ADW_LEAFLET (adw_leaflet_new ());
  adw_leaflet_set_can_navigate_back (self->leaflet, TRUE);
  adw_leaflet_set_can_unfold (self->leaflet, TRUE);
  list_pane = build_list_pane (self);
  separator = gtk_separator_new (GTK_ORIENTATION_VERTICAL);
  conversation_pane = build_conversation_pane (self);
  adw_leaflet_append (self->leaflet, list_pane);
  page = adw_leaflet_append (self->leaflet, separator);
  adw_leaflet_page_set_navigatable (page, FALSE);
  adw_leaflet_append (self->leaflet, conversation_pane);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (on_folded_cb), self);
  on_folded_cb (self);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->leaflet));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->toasts));
}

/**
 * tend_messages_page_set_store:
 * @zone: (nullable): the practice's time zone, for times shown
 *
 * Shows the messages of @store's signed-in person (and follows its changes).
 */
void
tend_messages_page_set_store (TendMessagesPage *self,
                              TendStore        *store,
                              GTimeZone        *zone)
{
  g_return_if_fail (TEND_IS_MESSAGES_PAGE (self));
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = zone != NULL ? g_time_zone_ref (zone) : NULL;
  if (store == self->store)
    {
      /* Perhaps someone else signed in on this computer: the worker
       * connection is opened again, as them. */
      cancel_and_clear (&self->list_cancel);
      g_clear_pointer (&self->reader, reader_unref);
      if (store != NULL)
        self->reader = reader_new (store);
      refresh_list (self);
      return;
    }
  flush_draft (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  cancel_and_clear (&self->list_cancel);
  cancel_and_clear (&self->open_cancel);
  g_clear_pointer (&self->reader, reader_unref);
  if (store != NULL)
    self->reader = reader_new (store);
  g_clear_pointer (&self->open_id, g_free);
  {
    g_autofree char *server = store != NULL ? tend_store_get_meta (store, "server_url") : NULL;

    self->has_server = server != NULL;
  }
  gtk_stack_set_visible_child_name (self->conversation_stack, "empty");
  if (store != NULL)
    g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
  refresh_list (self);
}

void
tend_messages_page_set_context (TendMessagesPage *self,
                                TendContext      *context)
{
  tend_messages_page_set_store (self, context != NULL ? tend_context_get_store (context) : NULL,
                                context != NULL ? tend_context_get_zone (context) : NULL);
}

/* For tests: how many messages the open conversation shows, and its rows. */
/* Whether a read is still running in a thread (a list, a thread, a file). */
gboolean
tend_messages_page_is_busy (TendMessagesPage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGES_PAGE (self), FALSE);
  return self->reads > 0;
}

guint
tend_messages_page_get_n_shown (TendMessagesPage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGES_PAGE (self), 0);
  return self->open_id != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->rids)) : 0;
}

GtkListBox *
tend_messages_page_get_list (TendMessagesPage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGES_PAGE (self), NULL);
  return self->list;
}

void
tend_messages_page_type (TendMessagesPage *self,
                         const char       *text)
{
  g_return_if_fail (TEND_IS_MESSAGES_PAGE (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->compose), text, -1);
}

void
tend_messages_page_send (TendMessagesPage *self)
{
  g_return_if_fail (TEND_IS_MESSAGES_PAGE (self));
  send_clicked_cb (self);
}

gboolean
tend_messages_page_is_folded (TendMessagesPage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGES_PAGE (self), FALSE);
  return adw_leaflet_get_folded (self->leaflet);
}

TendMessagesPage *
tend_messages_page_new (void)
{
  return g_object_new (TEND_TYPE_MESSAGES_PAGE, NULL);
}

guint
tend_messages_page_get_unread (TendMessagesPage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGES_PAGE (self), 0);
  return self->unread;
}

void
tend_messages_page_open_conversation (TendMessagesPage *self,
                                      const char       *conversation_id)
{
  g_return_if_fail (TEND_IS_MESSAGES_PAGE (self));
  open_conversation (self, conversation_id, TRUE);
}

void
tend_messages_page_focus_search (TendMessagesPage *self)
{
  g_return_if_fail (TEND_IS_MESSAGES_PAGE (self));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
}
