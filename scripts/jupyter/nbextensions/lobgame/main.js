// Notebook 6 extension loaded by `deno task notebook` (scripts/notebook.ts), which enables it
// in the nbconfig it writes for the session ({"lobgame": {"note": ..., "autosave": false}}):
// turns autosave off, so that running cells does not rewrite the committed notebooks behind the
// user's back (Ctrl-S saves when a change is meant), and shows the session's note (where the
// outputs go) in the notification area.
// deno-lint-ignore no-undef
define(["base/js/namespace", "base/js/events"], (Jupyter, events) => {
  "use strict";
  function settingsLoaded(nb) {
    const settings = nb.config.data.lobgame || {};
    if (!settings.autosave) {
      // main.js sets the interval on notebook_loaded; this handler is registered after it.
      const off = () => nb.set_autosave_interval(0);
      if (nb._fully_loaded) off();
      events.on("notebook_loaded.Notebook", off);
    }
    if (settings.note && Jupyter.notification_area) {
      Jupyter.notification_area.new_notification_widget("lobgame").set_message(settings.note);
    }
  }
  function load_ipython_extension() {
    const nb = Jupyter.notebook;
    nb.config.loaded.then(() => settingsLoaded(nb));
  }
  return { load_ipython_extension };
});
