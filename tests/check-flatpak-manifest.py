#!/usr/bin/env python3
# Checks the Flatpak manifest against the project's sandbox policy, offline and with
# the standard library only (flatpak-builder --show-manifest checks the syntax):
#
#   check-flatpak-manifest.py MANIFEST APPLICATION_ID
#
# - the app-id is the project's application ID and the command is certdesk;
# - the runtime is a numbered GNOME release (not master/nightly), with the GNOME SDK;
# - finish-args hold only the permissions listed in ALLOWED_FINISH_ARGS (the least
#   privilege that works; see flatpak/README.md), and never home or host access,
#   the Secret Service or the notification daemon (their portals serve the sandbox);
# - every archive or file source is pinned with a sha256 of 64 hex digits, and every
#   git source with a full commit;
# - the app module builds with meson, -Dserver=false and -Dtests=false, and no module
#   builds one of the service's libraries.
# Prints every problem found and exits 1 if there is any.

import json
import os
import re
import sys

ALLOWED_FINISH_ARGS = {
    "--share=network",   # the certificate service
    "--share=ipc",       # X11 shared memory
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",      # GL rendering in GTK
}
REQUIRED_FINISH_ARGS = ALLOWED_FINISH_ARGS

FORBIDDEN_PATTERNS = [
    (re.compile(r"^--filesystem=(home|host|host-os|host-etc|~)"),
     "files go through the portals (GtkFileChooserNative): no home or host access"),
    (re.compile(r"^--talk-name=org\.freedesktop\.secrets$"),
     "libsecret uses the Secret portal in the sandbox"),
    (re.compile(r"^--talk-name=org\.freedesktop\.Notifications$"),
     "GNotification uses the notification portal in the sandbox"),
    (re.compile(r"^--socket=x11$"),
     "use --socket=fallback-x11, so that X11 is only there without Wayland"),
    (re.compile(r"^--device=all$"),
     "--device=dri is all the app needs"),
]

SERVER_ONLY_MODULES = {"sqlite", "sqlite3", "argon2", "libargon2", "qrencode", "libqrencode"}

SHA256 = re.compile(r"^[0-9a-f]{64}$")
GIT_COMMIT = re.compile(r"^[0-9a-f]{40}$")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def iter_modules(modules, base_dir, problems):
    """Yields every module, following nested modules and included module files."""
    for module in modules:
        if isinstance(module, str):
            path = os.path.join(base_dir, module)
            try:
                included = load(path)
            except (OSError, ValueError) as e:
                problems.append(f"module file {module}: cannot be read: {e}")
                continue
            yield from iter_modules([included], os.path.dirname(path), problems)
            continue
        yield module
        yield from iter_modules(module.get("modules", []), base_dir, problems)


def check(manifest_path, application_id):
    problems = []
    manifest = load(manifest_path)
    base_dir = os.path.dirname(os.path.abspath(manifest_path))

    app_id = manifest.get("app-id", manifest.get("id"))
    if app_id != application_id:
        problems.append(f"app-id is {app_id!r}, the project's application ID is {application_id!r}")
    if manifest.get("command") != "certdesk":
        problems.append(f"command is {manifest.get('command')!r}, not 'certdesk'")
    if manifest.get("runtime") != "org.gnome.Platform":
        problems.append(f"runtime is {manifest.get('runtime')!r}, not 'org.gnome.Platform'")
    if manifest.get("sdk") != "org.gnome.Sdk":
        problems.append(f"sdk is {manifest.get('sdk')!r}, not 'org.gnome.Sdk'")
    version = str(manifest.get("runtime-version", ""))
    if not re.fullmatch(r"\d+", version) or int(version) < 47:
        problems.append(f"runtime-version is {version!r}: a numbered GNOME release, 47 or newer")

    finish_args = manifest.get("finish-args", [])
    for arg in finish_args:
        for pattern, why in FORBIDDEN_PATTERNS:
            if pattern.search(arg):
                problems.append(f"finish-args has {arg}: {why}")
                break
        else:
            if arg not in ALLOWED_FINISH_ARGS:
                problems.append(f"finish-args has {arg}, which the policy does not allow "
                                "(add it to ALLOWED_FINISH_ARGS with the reason, if it is needed)")
    for arg in sorted(REQUIRED_FINISH_ARGS - set(finish_args)):
        problems.append(f"finish-args lack {arg}")

    modules = list(iter_modules(manifest.get("modules", []), base_dir, problems))
    if not modules:
        problems.append("no modules")
        return problems

    for module in modules:
        name = module.get("name", "?")
        if name.lower() in SERVER_ONLY_MODULES:
            problems.append(f"module {name} is a library of the service, which the Flatpak does not ship")
        for source in module.get("sources", []):
            if isinstance(source, str):
                continue  # a sources file; flatpak-builder checks it
            kind = source.get("type")
            if kind in ("archive", "file"):
                sha = source.get("sha256", "")
                if not SHA256.match(sha):
                    problems.append(f"module {name}: {kind} {source.get('url', source.get('path'))} "
                                    f"has no sha256 of 64 hex digits (got {sha!r})")
                if "url" in source and not source["url"].startswith("https://"):
                    problems.append(f"module {name}: {source['url']} is not fetched over https")
            elif kind == "git":
                if not GIT_COMMIT.match(source.get("commit", "")):
                    problems.append(f"module {name}: git source {source.get('url')} is not pinned to a commit")
            elif kind == "dir" and module is not modules[-1]:
                problems.append(f"module {name}: only the app module may build from a local dir")

    app = modules[-1]
    if app.get("name") != "certdesk":
        problems.append(f"the last module is {app.get('name')!r}, not the app 'certdesk'")
    if app.get("buildsystem") != "meson":
        problems.append(f"the app module's buildsystem is {app.get('buildsystem')!r}, not meson")
    opts = app.get("config-opts", [])
    for opt in ("-Dserver=false", "-Dtests=false"):
        if opt not in opts:
            problems.append(f"the app module's config-opts lack {opt}")
    for opt in ("-Dserver=true", "-Dtests=true"):
        if opt in opts:
            problems.append(f"the app module's config-opts have {opt}")

    return problems


def main():
    if len(sys.argv) != 3:
        print(f"usage: {sys.argv[0]} MANIFEST APPLICATION_ID", file=sys.stderr)
        return 2
    try:
        problems = check(sys.argv[1], sys.argv[2])
    except (OSError, ValueError) as e:
        print(f"{sys.argv[1]}: {e}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"{sys.argv[1]}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{sys.argv[1]}: follows the sandbox policy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
