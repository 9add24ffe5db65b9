"""JUnit XML: one test case per analyzer; findings at the failure threshold fail it."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from meshctl.analysis.message import Message
from meshctl.analysis.result import Result


def _case(suite: ET.Element, name: str, messages: list[Message], result: Result) -> tuple[int, int]:
    case = ET.SubElement(suite, "testcase", classname="meshctl.analyze", name=name)
    failing = [m for m in messages if m.level >= result.failure_threshold]
    for m in failing:
        node = ET.SubElement(case, "failure", type=m.code, message=m.text)
        node.text = m.rendered()
    others = [m for m in messages if m.level < result.failure_threshold]
    if others:
        ET.SubElement(case, "system-out").text = "\n".join(m.rendered() for m in others)
    if name in result.skipped:
        ET.SubElement(case, "skipped", message=result.skipped[name])
        return 0, 1
    return len(failing), 0


def render_junit(result: Result) -> str:
    """A <testsuites> document; analyzers that ran clean appear as passing cases."""
    grouped: dict[str, list[Message]] = defaultdict(list)
    for m in result.shown:
        grouped[m.analyzer or "meshctl"].append(m)
    names = sorted(set(result.analyzers) | set(grouped) | set(result.skipped))
    suites = ET.Element("testsuites", name="meshctl")
    suite = ET.SubElement(suites, "testsuite", name="meshctl analyze")
    failures = skipped = 0
    for name in names:
        f, s = _case(suite, name, grouped.get(name, []), result)
        failures += f
        skipped += s
    for node in (suites, suite):
        node.set("tests", str(len(names)))
        node.set("failures", str(failures))
        node.set("errors", "0")
    suite.set("skipped", str(skipped))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
