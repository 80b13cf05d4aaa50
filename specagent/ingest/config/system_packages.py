"""Read the system packages a Dockerfile ``RUN`` line installs and removes.

Understands apt-get/apt/aptitude, apk, yum/dnf/microdnf/tdnf and zypper, including options
that take a value, command prefixes (``sudo``, ``VAR=value``) and apk virtual packages.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import PurePosixPath

# System package managers: the words that install and remove, by manager.
_PKG_INSTALL = {
    "apt-get": ("install",),
    "apt": ("install",),
    "aptitude": ("install",),
    "apk": ("add",),
    "yum": ("install",),
    "dnf": ("install",),
    "microdnf": ("install",),
    "tdnf": ("install",),
    "zypper": ("install", "in"),
}
_PKG_REMOVE = {
    "apt-get": ("remove", "purge"),
    "apt": ("remove", "purge"),
    "aptitude": ("remove", "purge"),
    "apk": ("del",),
    "yum": ("remove", "erase"),
    "dnf": ("remove", "erase"),
    "microdnf": ("remove",),
    "tdnf": ("remove", "erase"),
    "zypper": ("remove", "rm"),
}
# Options that take the next word as their value (``-o Dpkg::Options=...``, ``--virtual .deps``).
_PKG_VALUE_OPTIONS = frozenset(
    {
        "-o",
        "--option",
        "-t",
        "--target-release",
        "--virtual",
        "-X",
        "--repository",
        "--setopt",
        "--enablerepo",
        "--disablerepo",
        "--repo",
        "--releasever",
        "--installroot",
        "-c",
        "--config",
    }
)
# What runs a command without being it: ``sudo``, ``DEBIAN_FRONTEND=noninteractive``, ``env``.
_COMMAND_PREFIX = re.compile(r"^(?:sudo|env|nice|time|[A-Za-z_][A-Za-z0-9_]*=\S*)$")


def _package_commands(run: str) -> Iterator[tuple[str, str, list[str]]]:
    """(manager, verb, arguments) of each package-manager command in a ``RUN`` line."""
    for command in re.split(r"&&|\|\||;|\|", run):
        try:
            words = shlex.split(command, comments=True)
        except ValueError:  # an unbalanced quote: read it plainly
            words = command.split()
        while words and _COMMAND_PREFIX.match(words[0]):
            words = words[1:]
        if not words:
            continue
        manager = PurePosixPath(words[0]).name
        if manager not in _PKG_INSTALL:
            continue
        # The verb is the first word that is not an option (``apt-get -y install``).
        rest = words[1:]
        while rest and rest[0].startswith("-"):
            rest = rest[2:] if rest[0] in _PKG_VALUE_OPTIONS else rest[1:]
        if rest:
            yield manager, rest[0], rest[1:]


def _package_names(args: list[str]) -> list[str]:
    """The packages among a command's arguments: options, their values and ``$VARS`` dropped."""
    names: list[str] = []
    skip = False
    for word in args:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in _PKG_VALUE_OPTIONS
            continue
        if not re.match(r"^[A-Za-z0-9][\w@.+:=*<>~-]*$", word):
            continue  # a ``$VAR``, a path or URL, or shell syntax: no package name we can state
        names.append(word)
    return names


def track_system_packages(run: str, installed: list[str]) -> None:
    """Update ``installed`` with what one ``RUN`` installs and removes (build deps purged again)."""
    virtual: dict[str, list[str]] = {}  # apk add --virtual NAME ...: ``apk del NAME`` drops them
    for manager, verb, args in _package_commands(run):
        names = _package_names(args)
        if verb in _PKG_INSTALL[manager]:
            if "--virtual" in args or (manager == "apk" and "-t" in args):
                flag = "--virtual" if "--virtual" in args else "-t"
                at = args.index(flag)
                if at + 1 < len(args):
                    virtual[args[at + 1]] = names
            installed.extend(n for n in names if n not in installed)
        elif verb in _PKG_REMOVE.get(manager, ()):
            gone = set(names)
            for word in args:  # virtual names (``.build-deps``) are no package names
                gone.update(virtual.get(word, []))
            installed[:] = [n for n in installed if n not in gone]
