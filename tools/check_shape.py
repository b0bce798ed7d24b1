#!/usr/bin/env python3
"""The shape of the code, checked (issue 16; ctest runs it as `shape`).

  1. Layers: a file includes headers of its own library, and of the libraries below it only
     through their front doors. The libraries, what each may use and its front-door headers
     are the `# layer:` and `set(<LIB>_FRONT_DOOR ...)` lines of CMakeLists.txt.
  2. cli/ never parses stored bytes (no ParseFromString / ParseFromArray): the read layer in
     ledger/ hands it typed results.
  3. No string literal is compared with a state or kind: states are enums of
     proto/caseledger.proto, named through core/names.h.
  4. No function in core/, ledger/ or cli/ is longer than 70 lines (universal-ctags).

Prints every finding as FILE:LINE: what; exits 1 if there is any.
"""
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
FUNCTION_LINES_MAX = 70
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/([A-Za-z0-9_./]+)"')
PARSE = re.compile(r'\bParseFrom(String|Array)\b')
# A comparison with a literal that is the wire name of a state or kind (the strings of
# core/names.h's tables) is a state compared as text, unless the line before says
# `shape: not a state` (a JSON field named like a kind, say).
NOT_A_STATE = 'shape: not a state'


def cmake_layers():
  """{library dir: (allowed dirs below, front-door headers)} from CMakeLists.txt."""
  text = (ROOT / 'CMakeLists.txt').read_text(encoding='utf-8')
  below = {}
  for match in re.finditer(r'^# layer: (\w+) uses ?([\w ]*)$', text, re.M):
    below[match.group(1)] = set(match.group(2).split())
  doors = {}
  for match in re.finditer(r'set\((\w+)_FRONT_DOOR\s+([^)]*)\)', text):
    doors[match.group(1).lower()] = set(match.group(2).split())
  return below, doors


def sources(directory):
  return sorted(p for p in (ROOT / directory).glob('*') if p.suffix in ('.cc', '.h'))


def check_layers(findings):
  below, doors = cmake_layers()
  if not below:
    findings.append('CMakeLists.txt: no "# layer:" lines')
  for library, uses in below.items():
    for path in sources(library):
      for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        match = INCLUDE.match(line)
        if not match:
          continue
        target, header = match.group(1), f'{match.group(1)}/{match.group(2)}'
        where = f'{path.relative_to(ROOT)}:{number}'
        if target == library or target in ('fmt', 'rocksdb', 'google', 'grpcpp', 'boost'):
          continue
        if target not in uses:
          findings.append(f'{where}: {library}/ includes {header}, but {library} does not use '
                          f'{target}/ (CMakeLists.txt "# layer:")')
        elif header not in doors.get(target, set()):
          findings.append(f'{where}: {header} is not a front door of {target}/ '
                          f'({target.upper()}_FRONT_DOOR in CMakeLists.txt)')


def wire_names():
  names = set()
  for path in (ROOT / 'core' / 'names.h', ROOT / 'core' / 'names.cc'):
    if path.exists():
      names |= set(re.findall(r'\{\s*(?:pb::\w+|\w+::k\w+),\s*"([a-z_]+)"', path.read_text(encoding='utf-8')))
  return names


def check_text(findings):
  for path in sources('cli'):
    for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
      if PARSE.search(line):
        findings.append(f'{path.relative_to(ROOT)}:{number}: cli/ parses stored bytes')
  names = wire_names()
  compare = re.compile(r'(==|!=)\s*"([a-z_]+)"|"([a-z_]+)"\s*(==|!=)')
  for library in ('core', 'ledger', 'cli'):
    for path in sources(library):
      if path.name in ('names.h', 'names.cc'):
        continue
      lines = path.read_text(encoding='utf-8').splitlines()
      for number, line in enumerate(lines, 1):
        if number > 1 and NOT_A_STATE in lines[number - 2]:
          continue
        for match in compare.finditer(line):
          literal = match.group(2) or match.group(3)
          if literal in names:
            findings.append(f'{path.relative_to(ROOT)}:{number}: "{literal}" compared as text '
                            '(use the enum of core/names.h)')


def check_function_lengths(findings):
  files = [str(p.relative_to(ROOT)) for d in ('core', 'ledger', 'cli') for p in sources(d)]
  try:
    tags = subprocess.run(['ctags', '--c++-kinds=f', '--fields=+ne', '-o', '-', *files],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout
  except (OSError, subprocess.CalledProcessError) as error:
    findings.append(f'ctags (universal-ctags) did not run: {error}')
    return
  for tag in tags.splitlines():
    fields = tag.split('\t')
    start = next((f[5:] for f in fields if f.startswith('line:')), None)
    end = next((f[4:] for f in fields if f.startswith('end:')), None)
    if start and end and int(end) - int(start) + 1 > FUNCTION_LINES_MAX:
      findings.append(f'{fields[1]}:{start}: {fields[0]} is {int(end) - int(start) + 1} lines '
                      f'(at most {FUNCTION_LINES_MAX})')


def check_all():
  findings = []
  check_layers(findings)
  check_text(findings)
  check_function_lengths(findings)
  return findings


# --self-test: a tree with one fault of each kind; every check must name its fault, and a clean
# tree must pass.
SELF_TEST_TREE = {
    'CMakeLists.txt': '# layer: core uses\n# layer: ledger uses core\n# layer: cli uses core ledger\n'
                      'set(CORE_FRONT_DOOR core/money.h)\nset(LEDGER_FRONT_DOOR ledger/ledger.h)\n',
    'core/money.h': '#include "core/names.h"\n',
    'core/names.h': 'const Entry kStates[] = {{pb::CASE_STATUS_CLOSED, "closed", "已结"}};\n',
    'core/engine.cc': '#include "ledger/ledger.h"\nbool Closed(const R& r) { return r.status() == "closed"; }\n',
    'ledger/ledger.h': '#include "core/money.h"\n',
    'ledger/ledger.cc': '#include "core/engine_internal.h"\n',
    'cli/main.cc': '#include "ledger/ledger.h"\nvoid F() { m.ParseFromString(b); }\nvoid G() {\n'
                   + '  x();\n' * 75 + '}\n',
}
SELF_TEST_EXPECTED = [
    'core/engine.cc:1: core/ includes ledger/ledger.h, but core does not use ledger/',
    'ledger/ledger.cc:1: core/engine_internal.h is not a front door of core/',
    'cli/main.cc:2: cli/ parses stored bytes',
    'core/engine.cc:2: "closed" compared as text',
    'cli/main.cc:3: G is 77 lines',
]


def self_test():
  global ROOT
  with tempfile.TemporaryDirectory() as directory:
    ROOT = pathlib.Path(directory)
    for name, text in SELF_TEST_TREE.items():
      (ROOT / name).parent.mkdir(parents=True, exist_ok=True)
      (ROOT / name).write_text(text, encoding='utf-8')
    findings = check_all()
    missing = [e for e in SELF_TEST_EXPECTED if not any(f.startswith(e) for f in findings)]
    extra = [f for f in findings if not any(f.startswith(e) for e in SELF_TEST_EXPECTED)]
    for name in ('core/engine.cc', 'ledger/ledger.cc', 'cli/main.cc'):
      (ROOT / name).unlink()
    clean = check_all()
  for line in missing:
    print(f'self-test: not found: {line}')
  for line in extra + clean:
    print(f'self-test: unexpected: {line}')
  print(f'check_shape --self-test: {len(SELF_TEST_EXPECTED) - len(missing)} of '
        f'{len(SELF_TEST_EXPECTED)} faults found, {len(extra) + len(clean)} unexpected',
        file=sys.stderr)
  return 1 if missing or extra or clean else 0


def main():
  if sys.argv[1:] == ['--self-test']:
    return self_test()
  findings = check_all()
  for finding in findings:
    print(finding)
  print(f'check_shape: {len(findings)} finding(s)', file=sys.stderr)
  return 1 if findings else 0


if __name__ == '__main__':
  sys.exit(main())
