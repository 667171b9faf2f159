"""JUnit XML for CI: one testcase per conversation test and per repair variant, coverage as properties."""
from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET


def write_junit(path: Path, results, variants, cov) -> None:
    suites = ET.Element("testsuites")
    for name, items in (("conversations", results), ("repairs", variants)):
        if not items:
            continue
        suite = ET.SubElement(suites, "testsuite", name=name, tests=str(len(items)),
                              failures=str(sum(not r.ok for r in items)),
                              time=f"{sum(r.seconds for r in items):.3f}")
        if name == "conversations":
            props = ET.SubElement(suite, "properties")
            for c in cov:
                ET.SubElement(props, "property", name=f"coverage.{c.flow}.steps", value=f"{c.step_pct:.1f}")
                ET.SubElement(props, "property", name=f"coverage.{c.flow}.branches", value=f"{c.branch_pct:.1f}")
        for r in items:
            case = ET.SubElement(suite, "testcase", classname=r.file.replace("/", ".").rsplit(".", 1)[0],
                                 name=r.name, file=r.file, line=str(r.line), time=f"{r.seconds:.3f}")
            if not r.ok:
                fail = ET.SubElement(case, "failure", message=(r.error or r.failures[0].what if r.failures or r.error
                                                               else "failed"))
                fail.text = r.render()
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
