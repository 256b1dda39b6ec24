#!/usr/bin/python3
"""The desktop client as a screen reader sees it: through the real AT-SPI bus.

Run inside tests/ui-session.sh (private Xvfb, private D-Bus session bus, throwaway HOME and
keyring), with /usr/bin/python3 (python3-pyatspi):

    test-atspi.py CERTDESK CERTDESK_SERVER ZH_CN_PO

It starts `CERTDESK --demo` with the AT-SPI bridge on (whatever NO_AT_BRIDGE or GTK_MODULES
say outside), which D-Bus activates at-spi-bus-launcher on the private session bus, so the
accessibility bus and its registry are private too. Through AT-SPI alone it then:

 1. finds the app in the registry by its process id;
 2. on the service notice page, clicks "Accept and Continue" with its Action interface
    (found by its name: in zh_CN, the translation read from po/zh_CN.po);
 3. waits for the certificate list and checks that every showing, focusable control
    (buttons, toggles, check boxes, entries, combo boxes, list items…) has a name;
 4. opens the certificates one by one (focus on the row, Return through the registry's
    device event controller) and checks the same on each certificate's page, and that
    "Apply for Annotation" has a name and, while it is disabled, a description with the
    reason; until both an enabled and a disabled button were seen;
 5. quits the app with SIGTERM and checks it stopped its demo service (no certdesk-server
    left, the demo data directory removed) and exited with status 0.

TAP on stdout. Every wait polls with a timeout; on a failure a screenshot of the screen goes
to $CERTDESK_SCREENSHOT_DIR (with ImageMagick's `import`).
"""

import ctypes
import ctypes.util
import os
import re
import signal
import subprocess
import sys
import time
import traceback
import warnings

# The test and the app must reach the accessibility bus of the private session bus, never
# one named by the environment outside.
os.environ.pop("AT_SPI_BUS_ADDRESS", None)

try:
    import gi

    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi, GLib

    import pyatspi  # noqa: F401  (the package that brings these bindings)
except (ImportError, ValueError) as error:
    print("Bail out! No AT-SPI bindings for %s (%s): run build-aux/install-deps.sh "
          "(python3-pyatspi)" % (sys.executable, error), flush=True)
    sys.exit(1)

# Atspi 2.46 has no replacement yet for Action.get_action_name.
warnings.filterwarnings("ignore", category=DeprecationWarning)

TIMEOUT = 30.0
POLL = 0.05

# Roles a screen-reader user operates; each, when showing and focusable, needs a name.
CONTROL_ROLES = {
    Atspi.Role.PUSH_BUTTON,
    Atspi.Role.TOGGLE_BUTTON,
    Atspi.Role.CHECK_BOX,
    Atspi.Role.RADIO_BUTTON,
    Atspi.Role.TEXT,
    Atspi.Role.ENTRY,
    Atspi.Role.PASSWORD_TEXT,
    Atspi.Role.SPIN_BUTTON,
    Atspi.Role.COMBO_BOX,
    Atspi.Role.LIST_ITEM,
}
for _optional in ("PUSH_BUTTON_MENU", "MENU_BUTTON"):
    if hasattr(Atspi.Role, _optional):
        CONTROL_ROLES.add(getattr(Atspi.Role, _optional))


class Failure(Exception):
    pass


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, passed, description, diagnostics=()):
        self.n += 1
        if not passed:
            self.failed += 1
        print("%s %d - %s" % ("ok" if passed else "not ok", self.n, description), flush=True)
        for line in diagnostics:
            print("# " + line, flush=True)
        return passed

    def diag(self, message):
        print("# " + message, flush=True)


tap = Tap()
screenshots = 0


def screenshot(what):
    """The whole screen into $CERTDESK_SCREENSHOT_DIR, to see what went wrong."""
    global screenshots
    directory = os.environ.get("CERTDESK_SCREENSHOT_DIR")
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    screenshots += 1
    path = os.path.join(directory, "failure-%02d-%s.png" % (screenshots, re.sub(r"\W+", "-", what)[:60]))
    try:
        subprocess.run(["import", "-window", "root", path], timeout=20, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        tap.diag("screenshot: " + path)
    except (OSError, subprocess.SubprocessError) as error:
        tap.diag("no screenshot (%s)" % error)


def check(passed, description, diagnostics=()):
    if not tap.ok(passed, description, diagnostics):
        screenshot(description)
    return passed


def wait_for(what, probe, timeout=TIMEOUT):
    """Polls probe () until it returns something true; raises Failure after timeout seconds.
    An object that goes away while it is read (GLib.Error) counts as not yet."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            result = probe()
            if result:
                return result
        except GLib.Error as error:
            last_error = error
        if time.monotonic() > deadline:
            raise Failure("timed out after %.0f s waiting for %s%s" %
                          (timeout, what, " (last error: %s)" % last_error.message if last_error else ""))
        time.sleep(POLL)


# --- Reading the accessible tree -------------------------------------------------------

def states(accessible):
    return accessible.get_state_set()


def is_showing(accessible):
    return states(accessible).contains(Atspi.StateType.SHOWING)


def walk(accessible, showing_only=True):
    """Every descendant of accessible (depth first), pruning subtrees that are not showing:
    in GTK 3 a child of an unmapped widget is never showing."""
    stack = [accessible]
    while stack:
        node = stack.pop()
        yield node
        if showing_only and node is not accessible and not is_showing(node):
            continue
        count = node.get_child_count()
        for i in reversed(range(count)):
            child = node.get_child_at_index(i)
            if child is not None:
                stack.append(child)


def describe(accessible):
    try:
        path = []
        node = accessible
        while node is not None and node.get_role() != Atspi.Role.APPLICATION and len(path) < 12:
            name = node.get_name() or ""
            path.append("%s%s" % (node.get_role_name(), " %r" % name if name else ""))
            node = node.get_parent()
        return " < ".join(path)
    except GLib.Error:
        return "(gone)"


def find_all(root, role, name=None):
    found = []
    for node in walk(root):
        if node.get_role() == role and is_showing(node) and (name is None or node.get_name() == name):
            found.append(node)
    return found


def unnamed_controls(window):
    """Showing, focusable controls with an empty name. Retried when the tree changes while
    it is walked."""
    for attempt in range(3):
        try:
            offenders = []
            count = 0
            for node in walk(window):
                count += 1
                if node.get_role() not in CONTROL_ROLES:
                    continue
                state = states(node)
                if not (state.contains(Atspi.StateType.SHOWING) and state.contains(Atspi.StateType.FOCUSABLE)):
                    continue
                if not (node.get_name() or "").strip():
                    offenders.append(describe(node))
            return count, offenders
        except GLib.Error:
            if attempt == 2:
                raise
            time.sleep(0.2)


def check_names(window, where):
    count, offenders = unnamed_controls(window)
    return check(not offenders,
                 "%s: every showing, focusable control has a name (%d objects walked)" % (where, count),
                 ["no name: " + offender for offender in offenders])


def do_action(accessible, action_name):
    """Runs the action of that name of accessible's Action interface."""
    names = []
    for i in range(Atspi.Action.get_n_actions(accessible)):
        names.append(Atspi.Action.get_action_name(accessible, i))
        if names[-1] == action_name:
            if not Atspi.Action.do_action(accessible, i):
                raise Failure("%s: doAction (%r) returned false" % (describe(accessible), action_name))
            return
    raise Failure("%s has no action %r (only %s)" % (describe(accessible), action_name, names))


def find_button(window, name, what):
    """The one showing push button named name; on a timeout, the names there are."""
    try:
        return wait_for("the %r button %s" % (name, what),
                        lambda: find_all(window, Atspi.Role.PUSH_BUTTON, name))
    except Failure as failure:
        try:
            present = [button.get_name() for button in find_all(window, Atspi.Role.PUSH_BUTTON)]
        except GLib.Error:
            present = ["(could not be read)"]
        raise Failure("%s; showing push buttons: %s" % (failure, present))


# --- Translations -----------------------------------------------------------------------

def po_messages(path):
    """msgid → msgstr of a .po file (enough of the format for CertDesk's catalogue)."""
    messages = {}
    current = None
    fields = {}

    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}

    def unquote(text):
        return re.sub(r"\\(.)", lambda match: escapes.get(match.group(1), match.group(0)),
                      text.strip()[1:-1])

    def flush():
        if "msgid" in fields and "msgstr" in fields and fields["msgstr"] and "msgctxt" not in fields:
            messages[fields["msgid"]] = fields["msgstr"]

    with open(path, encoding="utf-8") as po:
        for line in po:
            line = line.strip()
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?)\s+(".*")$', line)
            if match:
                key = "msgstr" if match.group(1).startswith("msgstr") else match.group(1)
                if key in ("msgctxt", "msgid") and "msgstr" in fields:
                    flush()
                    fields = {}
                current = key
                fields[key] = unquote(match.group(2))
            elif line.startswith('"') and current is not None:
                fields[current] += unquote(line)
            elif not line:
                flush()
                fields = {}
                current = None
    flush()
    return messages


def without_mnemonic(label):
    """The text GTK shows (and names the button with) for a label with use-underline."""
    return re.sub(r"_(.)", r"\1", label)


# --- The app ------------------------------------------------------------------------------

def process_children(pid):
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    return children


def process_state(pid):
    """The state letter of pid (Z: a zombie), or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def command_line(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as cmdline:
            return [arg.decode("utf-8", "replace") for arg in cmdline.read().split(b"\0") if arg]
    except OSError:
        return []


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def find_window(app):
    for i in range(app.get_child_count()):
        child = app.get_child_at_index(i)
        if child is not None and child.get_role() == Atspi.Role.FRAME and is_showing(child):
            return child
    return None


def certificate_rows(window):
    return [row for row in find_all(window, Atspi.Role.LIST_ITEM) if row.get_name()]


def press_return_on(window, row):
    """Focus on the row through its Component interface, then Return from the registry's
    device event controller (XTest), as an on-screen keyboard or a switch user would."""
    if not Atspi.Component.grab_focus(row):
        raise Failure("grabFocus on %s failed" % describe(row))
    wait_for("the focus on " + describe(row),
             lambda: states(row).contains(Atspi.StateType.FOCUSED), timeout=10)
    # The key goes to the X input focus, which GDK gives the window when it is presented
    # (no window manager runs).
    wait_for("the window to be active (X input focus) before a key is sent",
             lambda: states(window).contains(Atspi.StateType.ACTIVE), timeout=10)
    Atspi.generate_keyboard_event(0xff0d, None, Atspi.KeySynthType.SYM)  # XK_Return


def main():
    if len(sys.argv) != 4:
        print("usage: test-atspi.py CERTDESK CERTDESK_SERVER ZH_CN_PO", file=sys.stderr)
        return 2
    app_binary, server_binary, zh_po = (os.path.abspath(arg) for arg in sys.argv[1:])
    language = os.environ.get("CERTDESK_TEST_EXPECT_LANGUAGE", "")
    for variable in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        if not os.environ.get(variable):
            print("test-atspi.py: no %s: run it inside tests/ui-session.sh" % variable, file=sys.stderr)
            return 2

    if language == "zh_CN":
        messages = po_messages(zh_po)
        translate = messages.get
    elif language == "":
        def translate(msgid):
            return msgid
    else:
        print("test-atspi.py: no expectations for language %r" % language, file=sys.stderr)
        return 2
    accept_label = translate("_Accept and Continue")
    apply_label = translate("_Apply for Annotation")
    back_label = translate("Back")
    for msgid, text in (("_Accept and Continue", accept_label), ("_Apply for Annotation", apply_label),
                        ("Back", back_label)):
        if not text:
            print("test-atspi.py: %s has no translation of %r" % (zh_po, msgid), file=sys.stderr)
            return 2
    accept_name = without_mnemonic(accept_label)
    apply_name = without_mnemonic(apply_label)
    back_name = without_mnemonic(back_label)
    tap.diag("language %r: expecting buttons %r, %r, %r" % (language or "en", accept_name, apply_name, back_name))

    # Xvfb (without -noreset) resets when its last client goes, and refuses connections
    # meanwhile: at-spi-bus-launcher, once it sees DISPLAY, connects only to set a property
    # and goes, and the app, starting then, could not open the display. The test stays
    # connected, first and until the end.
    xlib = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x_connection = xlib.XOpenDisplay(None)
    if not x_connection:
        print("Bail out! Cannot open the display %s" % os.environ["DISPLAY"], flush=True)
        return 1

    # The keys the test synthesizes come from at-spi2-registryd, which the accessibility
    # bus activates (at the first AT-SPI call, below): it needs the private X server, which
    # ui-session.sh hides from the session bus. This changes only what the private bus
    # starts from now on; the keyring daemon already runs.
    bus = subprocess.run(["dbus-update-activation-environment", "DISPLAY=" + os.environ["DISPLAY"]],
                         stderr=subprocess.PIPE, text=True)
    if bus.returncode != 0:
        print("Bail out! dbus-update-activation-environment failed: " + bus.stderr, flush=True)
        return 1

    env = dict(os.environ)
    # The bridge must load: not disabled, and no module list that could leave it out.
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GTK_MODULES", None)
    env["CERTDESK_SERVER_BINARY"] = server_binary
    env.setdefault("GDK_BACKEND", "x11")
    env.setdefault("GDK_GL", "disable")

    app_process = subprocess.Popen([app_binary, "--demo"], env=env)
    server_pid = None
    data_dir = None
    try:
        # 1. The app in the registry, by process id.
        def registered():
            if app_process.poll() is not None:
                raise Failure("certdesk exited with status %d before it was accessible" % app_process.returncode)
            return find_app(app_process.pid)
        app = wait_for("certdesk (pid %d) in the AT-SPI registry" % app_process.pid, registered)
        tap.ok(True, "certdesk (pid %d) is in the AT-SPI registry as %r" % (app_process.pid, app.get_name()))
        window = wait_for("the main window", lambda: find_window(app))
        tap.ok(True, "its window %r is showing" % window.get_name())
        address = subprocess.run(["dbus-send", "--session", "--print-reply=literal", "--dest=org.a11y.Bus",
                                  "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        tap.diag("accessibility bus (of the private session bus): " + address.stdout.strip())

        # The demo service, for the check at the end.
        def demo_server():
            for child in process_children(app_process.pid):
                argv = command_line(child)
                if argv and os.path.basename(argv[0]) == "certdesk-server":
                    return child
            return None
        server_pid = wait_for("the demo service (a certdesk-server child of the app)", demo_server)
        argv = command_line(server_pid)
        if "--data-dir" in argv[:-1]:
            data_dir = argv[argv.index("--data-dir") + 1]
        tap.ok(True, "the demo service runs as pid %d (data in %s)" % (server_pid, data_dir))

        # 2. The service notice: "Accept and Continue", by name, through its Action.
        accept = find_button(window, accept_name, "of the service notice")
        check(len(accept) == 1, "exactly one showing push button is named %r" % accept_name)
        check_names(window, "service notice")
        do_action(accept[0], "click")
        tap.ok(True, "clicked %r through AT-SPI" % accept_name)

        # 3. The certificate list.
        rows = wait_for("the certificate list", lambda: certificate_rows(window))
        wait_for("the notice to go once accepted",
                 lambda: not find_all(window, Atspi.Role.PUSH_BUTTON, accept_name), timeout=10)
        tap.ok(True, "the notice is gone once accepted")
        tap.diag("%d certificates: %s" % (len(rows), "; ".join(row.get_name() for row in rows)))
        check_names(window, "certificate list")

        # 4. Each certificate's page, until "Apply for Annotation" was seen enabled and disabled.
        seen = set()
        for index in range(len(rows)):
            rows = wait_for("the certificate list", lambda: certificate_rows(window))
            if index >= len(rows):
                break
            row_name = rows[index].get_name()
            press_return_on(window, rows[index])
            apply = find_button(window, apply_name, "on the page of %r" % row_name)
            check(len(apply) == 1, "page of %r: one %r button" % (row_name, apply_name))
            # The page settles (quota, annotations) after it shows: wait until it has, i.e.
            # until the button's state and description agree, then read them once more.
            button = apply[0]

            def settled():
                enabled = states(button).contains(Atspi.StateType.ENABLED)
                return (enabled, button.get_description() or "") if enabled or button.get_description() else None
            try:
                enabled, description = wait_for("a reason for the disabled %r" % apply_name, settled, timeout=10)
            except Failure:
                enabled, description = False, ""
            if enabled:
                check(True, "page of %r: %r is enabled" % (row_name, apply_name))
            else:
                check(bool(description.strip()),
                      "page of %r: the disabled %r says why in its description" % (row_name, apply_name),
                      ["description: %r" % description])
                tap.diag("reason: " + description)
            seen.add(enabled)
            check_names(window, "page of %r" % row_name)

            back = find_button(window, back_name, "on the page of %r" % row_name)
            do_action(back[0], "click")
            # Back on the list, and the page gone (not sliding out still showing), so that
            # the next wait cannot find this page's button.
            wait_for("the page of %r to go" % row_name,
                     lambda: not find_all(window, Atspi.Role.PUSH_BUTTON, apply_name)
                     and certificate_rows(window))
            if seen == {True, False}:
                break
        check(seen == {True, False},
              "%r was seen both enabled and disabled (demo data)" % apply_name,
              ["seen: %s" % sorted(seen)])
    except Failure as failure:
        check(False, str(failure))
    except GLib.Error as error:
        check(False, "AT-SPI call failed: %s" % error.message)
    except Exception:  # a bug of the test, still reported as TAP after the app is stopped
        check(False, "the test itself failed", traceback.format_exc().splitlines())
    finally:
        # 5. SIGTERM: the app quits and stops its demo service.
        if app_process.poll() is None:
            app_process.send_signal(signal.SIGTERM)
        try:
            status = app_process.wait(timeout=15)
            check(status == 0, "certdesk quit on SIGTERM with status 0", ["status: %d" % status])
        except subprocess.TimeoutExpired:
            check(False, "certdesk quit on SIGTERM within 15 s")
            app_process.kill()
            app_process.wait()
        if server_pid is not None:
            # A zombie (PID 1 of a container may not reap) has stopped too.
            try:
                wait_for("the demo service (pid %d) to stop" % server_pid,
                         lambda: process_state(server_pid) in (None, "Z") or
                         os.path.basename((command_line(server_pid) or [""])[0]) != "certdesk-server",
                         timeout=10)
                check(True, "the demo service (pid %d) stopped with the app" % server_pid)
            except Failure as failure:
                check(False, str(failure))
                os.kill(server_pid, signal.SIGKILL)
        if data_dir is not None:
            check(not os.path.exists(data_dir), "the demo data directory was removed")

    print("1..%d" % tap.n, flush=True)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
