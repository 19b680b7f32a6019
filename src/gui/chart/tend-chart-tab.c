/* tend-chart-tab.c: what every tab of the chart has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TendChartPage owns the client and hands it, the store and the practice's
 * time zone to each tab by property; setting the client reads the tab
 * again, at once when the tab is shown and otherwise when it is first
 * shown (opening a chart reads the header and the tab in view, not all
 * eight).  A tab that changed something other tabs show (a diagnosis, a
 * measure) emits "changed", and the page reads the whole chart again.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include "tend-chart-tab.h"
#include "tend-chart-util.h"

typedef struct
{
  TendStore  *store;
  TendClient *client;
  GTimeZone  *zone;
  guint       overdue_days;   /* drafts older than this are flagged */
  gboolean    stale;          /* the client changed since the tab last read */
} TendChartTabPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TendChartTab, tend_chart_tab, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_ZONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
tend_chart_tab_dispose (GObject *object)
{
  TendChartTab *self = TEND_CHART_TAB (object);
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);
  tend_chart_ui_unparent_children (GTK_WIDGET (self));
  g_clear_object (&priv->store);
  g_clear_object (&priv->client);
  g_clear_pointer (&priv->zone, g_time_zone_unref);
  G_OBJECT_CLASS (tend_chart_tab_parent_class)->dispose (object);
}

static void
tend_chart_tab_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (TEND_CHART_TAB (object));

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, priv->client);
      break;
    case PROP_ZONE:
      g_value_set_boxed (value, priv->zone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_chart_tab_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TendChartTab *self = TEND_CHART_TAB (object);
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&priv->store, g_value_get_object (value));
      break;
    case PROP_CLIENT:
      tend_chart_tab_set_client (self, g_value_get_object (value));
      break;
    case PROP_ZONE:
      g_clear_pointer (&priv->zone, g_time_zone_unref);
      priv->zone = g_value_get_boxed (value) != NULL ? g_time_zone_ref (g_value_get_boxed (value)) : NULL;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_chart_tab_map (GtkWidget *widget)
{
  TendChartTab *self = TEND_CHART_TAB (widget);
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  /* Read before the children are mapped, so what shows is the client's. */
  if (priv->stale)
    tend_chart_tab_refresh (self);
  GTK_WIDGET_CLASS (tend_chart_tab_parent_class)->map (widget);
}

static void
tend_chart_tab_class_init (TendChartTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_chart_tab_dispose;
  object_class->get_property = tend_chart_tab_get_property;
  object_class->set_property = tend_chart_tab_set_property;
  widget_class->map = tend_chart_tab_map;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TEND_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Setting it (again) reads the tab again. */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TEND_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZONE] =
    g_param_spec_boxed ("zone", NULL, NULL, G_TYPE_TIME_ZONE,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TendChartTab::changed: the tab changed records that other tabs show
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_chart_tab_init (TendChartTab *self)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  priv->overdue_days = 3;
}

TendStore *
tend_chart_tab_get_store (TendChartTab *self)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  return priv->store;
}

TendClient *
tend_chart_tab_get_client (TendChartTab *self)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  return priv->client;
}

const char *
tend_chart_tab_get_client_id (TendChartTab *self)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  return priv->client != NULL ? tend_record_get_id (TEND_RECORD (priv->client)) : NULL;
}

/* The practice's zone (the computer's when none was given). */
GTimeZone *
tend_chart_tab_get_zone (TendChartTab *self)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  if (priv->zone == NULL)
    priv->zone = g_time_zone_new_local ();
  return priv->zone;
}

/**
 * tend_chart_tab_set_client:
 * @client: (nullable): the client whose chart is shown
 *
 * Shows @client's records (reading them again when it is the same
 * client): at once when the tab is shown, or else when it is shown next.
 */
void
tend_chart_tab_set_client (TendChartTab *self,
                           TendClient   *client)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  g_return_if_fail (TEND_IS_CHART_TAB (self));
  if (g_set_object (&priv->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  tend_chart_tab_invalidate (self);
}

/**
 * tend_chart_tab_invalidate:
 *
 * What the tab shows may have changed: it reads again at once when it is
 * shown, or else when it is shown next (or tend_chart_tab_ensure ()).
 */
void
tend_chart_tab_invalidate (TendChartTab *self)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  g_return_if_fail (TEND_IS_CHART_TAB (self));
  priv->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    tend_chart_tab_refresh (self);
}

/* Reads now if the tab has not read the client yet (for what is asked of
 * a tab that is not shown). */
void
tend_chart_tab_ensure (TendChartTab *self)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  g_return_if_fail (TEND_IS_CHART_TAB (self));
  if (priv->stale)
    tend_chart_tab_refresh (self);
}

/* Whether the signed-in role has @permission (no one signed in: the owner,
 * as the store treats a store without an actor). */
gboolean
tend_chart_tab_can (TendChartTab   *self,
                    TendPermission  permission)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);
  TendRole role = TEND_ROLE_OWNER;

  if (priv->store == NULL)
    return FALSE;
  tend_store_get_actor_role (priv->store, &role);
  return tend_role_can (role, permission);
}

/**
 * tend_chart_tab_refresh:
 *
 * Reads the tab's records again (its Retry).
 */
void
tend_chart_tab_refresh (TendChartTab *self)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  g_return_if_fail (TEND_IS_CHART_TAB (self));
  if (priv->store == NULL || priv->client == NULL)
    return;
  priv->stale = FALSE;
  if (TEND_CHART_TAB_GET_CLASS (self)->refresh != NULL)
    TEND_CHART_TAB_GET_CLASS (self)->refresh (self);
}

/* Says that records other tabs show have changed. */
void
tend_chart_tab_changed (TendChartTab *self)
{
  g_return_if_fail (TEND_IS_CHART_TAB (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

/* For a tab's class_init, after its template is set: lets the template
 * name tend_chart_tab_refresh () as a callback (the read error's Retry). */
void
tend_chart_tab_bind_class (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback_full (widget_class, "tend_chart_tab_refresh",
                                                G_CALLBACK (tend_chart_tab_refresh));
}

/* From the unsigned-note-days setting: drafts older than this are flagged. */
void
tend_chart_tab_set_overdue_days (TendChartTab *self,
                                 guint         days)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  g_return_if_fail (TEND_IS_CHART_TAB (self));
  priv->overdue_days = MAX (days, 1);
}

guint
tend_chart_tab_get_overdue_days (TendChartTab *self)
{
  TendChartTabPrivate *priv = tend_chart_tab_get_instance_private (self);

  return priv->overdue_days;
}
