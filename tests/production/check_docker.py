#!/usr/bin/python3
"""Offline checks of docker/ (no container engine runs here): every path the Dockerfiles COPY
exists in the build context, each command docker/compose.yaml runs (entrypoint, command, health
check, PostgreSQL's archive_command) exists in the image or stage it runs from, and the compose
file keeps its contract (no `version:`, health checks everywhere, secrets as files only, the
API after the migration job, runtime stages not root). Prints "ok - …" / "not ok - …" lines;
exit status 1 when one failed. Usage: check_docker.py [repository root]"""
import glob
import os
import re
import shlex
import sys

import yaml

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..'))
DOCKER = os.path.join(ROOT, 'docker')

# What debian:bookworm-slim has without installing anything (essential packages).
SLIM = {'sh', 'bash', 'cat', 'test', '[', 'cp', 'mv', 'rm', 'mkdir', 'chown', 'chmod', 'env',
        'echo', 'printf', 'true', 'false', 'grep', 'sed', 'sleep', 'seq', 'head', 'tail', 'tr',
        'cut', 'sha256sum', 'basename', 'dirname', 'id', 'ls', 'exec'}
# Commands of the packages the Dockerfiles install, by package.
PACKAGE_COMMANDS = {
    'libfcgi-bin': {'cgi-fcgi'},
    'postgresql-client-15': {'psql', 'pg_isready', 'pg_dump', 'pg_restore', 'pg_basebackup'},
    'curl': {'curl'},
    'nginx': {'nginx'},
    'nodejs': {'node'},
    'npm': {'npm'},
}
# Images used as they are (not built here) and the commands they are known to carry.
EXTERNAL = {
    'postgres:15-bookworm': SLIM | {'postgres', 'pg_isready', 'psql', 'pg_ctl', 'pg_basebackup',
                                    'docker-entrypoint.sh', 'gosu'},
}

failures = 0


def report(ok, what, why=''):
    global failures
    print(('ok - ' if ok else 'not ok - ') + what)
    if not ok:
        failures += 1
        if why:
            print('  # ' + why)


def dockerfile_stages(path):
    """The stages of a Dockerfile: name -> {packages, files (absolute paths it copies in),
    copies (context paths), entrypoint, cmd, user}."""
    stages, cur, order = {}, None, []
    text = re.sub(r'\\\n', ' ', open(path).read())
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        word, _, rest = line.partition(' ')
        word = word.upper()
        if word == 'FROM':
            parts = rest.split()
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == 'AS' else str(len(order))
            cur = {'packages': set(), 'files': set(), 'copies': [], 'entrypoint': None,
                   'cmd': None, 'user': None, 'workdir': '/'}
            stages[name] = cur
            order.append(name)
        elif word == 'RUN':
            for m in re.finditer(r'apt-get install ([^&;|]*)', rest):
                cur['packages'] |= {w for w in m.group(1).split() if not w.startswith('-')}
        elif word == 'WORKDIR':
            cur['workdir'] = rest.strip()
        elif word == 'COPY':
            args = shlex.split(rest)
            from_stage = any(a.startswith('--from=') for a in args)
            args = [a for a in args if not a.startswith('--')]
            srcs, dest = args[:-1], args[-1]
            if not dest.startswith('/'):
                dest = os.path.join(cur['workdir'], dest)
            for src in srcs:
                if not from_stage:
                    cur['copies'].append(src)
                if dest.endswith('/'):
                    target = os.path.join(dest, os.path.basename(src.rstrip('/')))
                    if not from_stage and os.path.isdir(os.path.join(ROOT, src)):
                        for f in glob.glob(os.path.join(ROOT, src, '**'), recursive=True):
                            cur['files'].add(os.path.join(dest, os.path.relpath(f, os.path.join(ROOT, src))))
                    cur['files'].add(target)
                else:
                    cur['files'].add(dest)
        elif word in ('ENTRYPOINT', 'CMD'):
            cur[word.lower()] = yaml.safe_load(rest) if rest.startswith('[') else ['sh', '-c', rest]
        elif word == 'USER':
            cur['user'] = rest.strip()
    stages['__last__'] = stages[order[-1]]
    return stages


def shell_commands(script):
    """The command words of a shell string: the first word of each simple command."""
    words = []
    for seg in re.split(r'\|\||&&|[|;]', script):
        toks = shlex.split(seg)
        while toks and (re.match(r'^[A-Za-z_][A-Za-z0-9_]*=', toks[0]) or toks[0] in ('!', 'exec')):
            toks.pop(0)
        if toks:
            words.append(toks[0])
    return words


def argv_commands(argv):
    """The commands an exec-form argv runs: argv[0], a `sh -c` script, PostgreSQL's archive_command."""
    if not argv:
        return []
    words = [argv[0]]
    if os.path.basename(argv[0]) in ('sh', 'bash') and len(argv) > 2 and argv[1] == '-c':
        words += shell_commands(argv[2])
    for a in argv:
        if isinstance(a, str) and a.startswith('archive_command='):
            words += shell_commands(a.split('=', 1)[1])
    return words


def exists_in(cmd, stage):
    if stage is None:
        return False
    if isinstance(stage, set):  # an external image
        return os.path.basename(cmd) in stage
    provided = set(SLIM)
    for p in stage['packages']:
        provided |= PACKAGE_COMMANDS.get(p, set())
    if cmd.startswith('/'):
        return cmd in stage['files'] or os.path.basename(cmd) in provided - SLIM or cmd in ('/bin/sh', '/bin/bash')
    on_path = {os.path.basename(f) for f in stage['files']
               if os.path.dirname(f) in ('/usr/local/bin', '/usr/bin', '/bin')}
    return cmd in provided or cmd in on_path


def main():
    dockerfiles = {os.path.relpath(p, ROOT): dockerfile_stages(p)
                   for p in sorted(glob.glob(os.path.join(DOCKER, '*.Dockerfile')))}
    for df, stages in sorted(dockerfiles.items()):
        missing = [c for s in stages.values() for c in s['copies']
                   if not glob.glob(os.path.join(ROOT, c))]
        report(not missing, f'{df}: every path it copies exists', f'missing: {sorted(set(missing))}')
        last = stages['__last__']
        report(last['user'] not in (None, 'root', '0') or 'nginx' in last['packages'],
               f'{df}: the runtime stage does not run as root (nginx drops to www-data itself)')
        for name, s in stages.items():
            if name == '__last__' or (s['entrypoint'] is None and s['cmd'] is None):
                continue
            cmds = argv_commands(s['entrypoint'] or s['cmd'])
            bad = [c for c in cmds if not exists_in(c, s)]
            report(not bad, f'{df} stage {name}: its ENTRYPOINT/CMD exists in it', f'not found: {bad}')

    compose_path = os.path.join(DOCKER, 'compose.yaml')
    compose = yaml.safe_load(open(compose_path))
    report('version' not in compose, 'compose.yaml has no version: key (Compose Specification)')
    services = compose.get('services', {})
    for name, svc in sorted(services.items()):
        build = svc.get('build')
        if build:
            df = os.path.normpath(os.path.join(os.path.relpath(DOCKER, ROOT), build.get('context', '.'),
                                               build.get('dockerfile', 'Dockerfile')))
            stages = dockerfiles.get(df, {})
            stage = stages.get(build.get('target', '__last__'))
            where = f'{df}:{build.get("target", "last stage")}'
        else:
            stage = EXTERNAL.get(svc.get('image'))
            where = svc.get('image')
        report(stage is not None, f'{name}: runs from a known stage or image ({where})')
        argvs = []
        ep, cmd = svc.get('entrypoint'), svc.get('command')
        if isinstance(stage, dict):
            ep = ep if ep is not None else stage['entrypoint']
            cmd = cmd if cmd is not None else stage['cmd']
        for a in (ep, cmd):
            if a:
                argvs.append(a if isinstance(a, list) else ['sh', '-c', a])
        hc = (svc.get('healthcheck') or {}).get('test')
        report(bool(hc), f'{name}: has a health check')
        if hc:
            if hc[0] == 'CMD-SHELL':
                argvs.append(['sh', '-c', hc[1]])
            elif hc[0] == 'CMD':
                argvs.append(hc[1:])
        # An entrypoint that execs "$@" runs the command too; otherwise the command is its argument.
        words = [w for a in argvs for w in argv_commands(a)]
        if ep and cmd and not any('"$@"' in str(x) for x in (ep if isinstance(ep, list) else [ep])):
            words = [w for w in words if w not in (cmd if isinstance(cmd, list) else [])[:1]]
        bad = sorted({w for w in words if not exists_in(w, stage)})
        report(not bad, f'{name}: every command it runs exists in {where}', f'not found: {bad}')
        env = svc.get('environment') or {}
        if isinstance(env, list):
            env = dict(e.split('=', 1) for e in env)
        leaked = [k for k in env if re.search(r'PASSWORD|SECRET|KEY', k) and not k.endswith('_FILE')]
        report(not leaked, f'{name}: no secret in its environment (files only)', f'{leaked}')
    for name, sec in sorted((compose.get('secrets') or {}).items()):
        report(set(sec) == {'file'}, f'secret {name} comes from a file')
    for name in sorted(n for n in services if n.startswith('api')):
        dep = services[name].get('depends_on') or {}
        report(isinstance(dep, dict) and (dep.get('migrate') or {}).get('condition') == 'service_completed_successfully',
               f'{name}: starts after the migration job completed')
    report(sum(1 for n in services if n.startswith('api')) >= 2, 'compose runs at least two API instances')
    db = services.get('db', {})
    db_args = ' '.join(str(x) for x in db.get('command') or [])
    report('archive_mode=on' in db_args and any(':' in v and 'wal' in v for v in db.get('volumes', [])),
           'db archives its WAL to a volume of its own')
    upstream = open(os.path.join(ROOT, 'nginx', 'production', 'upstream.conf')).read()
    api_names = sorted(n for n in services if n.startswith('api'))
    report(all(f'server {n}:9000' in upstream for n in api_names),
           'nginx/production/upstream.conf names every API service of the compose file')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
