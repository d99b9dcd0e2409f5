"""Render deploy/nginx/agora.conf.in: the nginx site in front of the app processes.

    python3 deploy/nginx_config.py --server-name drafts.example.org --listen 80 \\
        --app 127.0.0.1:5001 --app 127.0.0.1:5002 > /etc/nginx/sites-available/agora

The scale-out test renders it the same way (render()), and wraps it in a main configuration
of its own (main_config()) to run nginx unprivileged-style in a temporary prefix.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATE = HERE / "nginx" / "agora.conf.in"
# Debian's libnginx-mod-http-brotli-filter and -static (not part of the nginx package itself).
BROTLI_MODULES = (
    Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so"),
    Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"),
)
BROTLI = """brotli on;
brotli_comp_level 5;
brotli_min_length 512;
brotli_types text/css text/plain text/xml application/javascript application/json
             application/atom+xml application/xml image/svg+xml;
"""


def brotli_available() -> bool:
    """Whether this machine's nginx has the brotli modules (else gzip only)."""
    return all(module.exists() for module in BROTLI_MODULES)


def render(
    apps: list[str],
    *,
    listen: str = "80",
    server_name: str = "_",
    static_root: Path | str = ROOT / "app" / "static",
    access_log: str = "/var/log/nginx/agora.access.log",
    secure_cookie: bool = False,
    brotli: bool = False,
) -> str:
    """The site configuration: `apps` are the app processes' host:port addresses. With
    `brotli`, nginx must load Debian's brotli modules (their package enables them)."""
    if not apps:
        raise ValueError("at least one app process")
    values = {
        "upstream_servers": "\n".join(f"    server {app} max_fails=0;" for app in apps),
        "listen": listen,
        "server_name": server_name,
        "static_root": str(static_root).rstrip("/"),
        "access_log": access_log,
        "cookie_secure": "; Secure" if secure_cookie else "",
        "brotli": BROTLI if brotli else "",
        "brotli_static": "        brotli_static on;\n" if brotli else "",
    }
    text = TEMPLATE.read_text()
    text = re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)
    return text


def main_config(prefix: Path, site: Path, *, user: str | None = None, brotli: bool = False) -> str:
    """A whole nginx.conf for a private instance under `prefix` (pid, logs, temp files)."""
    modules = "".join(f"load_module {module};\n" for module in BROTLI_MODULES) if brotli else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind}_temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{modules}daemon off;
master_process on;
worker_processes 1;
{f"user {user};" if user else ""}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
{temp}
    include {site};
}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", action="append", required=True, help="host:port, repeatable")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--static-root", default=str(ROOT / "app" / "static"))
    parser.add_argument("--access-log", default="/var/log/nginx/agora.access.log")
    parser.add_argument("--secure-cookie", action="store_true", help="behind TLS")
    parser.add_argument(
        "--brotli",
        choices=("auto", "on", "off"),
        default="auto",
        help="brotli as well as gzip (auto: when Debian's brotli modules are installed)",
    )
    args = parser.parse_args()
    print(
        render(
            args.app,
            listen=args.listen,
            server_name=args.server_name,
            static_root=args.static_root,
            access_log=args.access_log,
            secure_cookie=args.secure_cookie,
            brotli=args.brotli == "on" or (args.brotli == "auto" and brotli_available()),
        ),
        end="",
    )


if __name__ == "__main__":
    main()
