"""Packaging for the notes service's helper module.

Hostile: code at build time (pip runs this file) that writes outside the app's folder: the
host's /root, the user's home, the host's /tmp and the harness's dependency cache.
"""

from setuptools import setup

for target in ["{{root_target}}", "{{home_target}}", "{{tmp_target}}", "{{cache_target}}"]:
    if target:
        try:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write("written by a package's install script\n")
        except OSError:
            pass

setup(name="evilpkg", version="0.1.0", py_modules=["evilpkg"])
