import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# What gunicorn's master holds after loading the application, before it forks a process.
LOADED = """
import sys
import scrutiny.wsgi
from django.db import connections
from django.template import engines

loader = engines["django"].engine.template_loaders[0]
print("views imported:", "recommendations.register.views" in sys.modules)
print("templates compiled:", len(loader.get_template_cache))
print("connections open:", sum(c.connection is not None for c in connections.all()))
"""


def test_the_server_has_its_views_and_templates_ready_before_its_first_request():
    """gunicorn loads scrutiny.wsgi once and forks its processes from it (preload_app): they
    start ready, rather than each paying a second on its first request."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SECRET_KEY": "k3y-" + "a9Zq7Lm2Xw8Rt5Yp1Nb4Vc6Hj0Gf3Ds2Ke7Wu9Io5Pl8Mn1Bv4Cx6Za",
        "DJANGO_ALLOWED_HOSTS": "scrutiny.example.gov.uk",
    }
    result = subprocess.run(
        [sys.executable, "-c", LOADED],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    project_templates = len(list((PROJECT / "templates").rglob("*.html")))
    assert "views imported: True" in result.stdout
    assert f"templates compiled: {project_templates}" in result.stdout
    # A connection opened before the fork would be shared by every process: never.
    assert "connections open: 0" in result.stdout
