#!/usr/bin/env python3
"""Counts the JUnit XML reports of each test layer; fails if a layer ran no test or any test failed."""
import glob, os, sys, xml.etree.ElementTree as ET

# Only reports written after the marker file (given by .ci/run) count; without one, all do.
SINCE = os.path.getmtime(sys.argv[1]) if len(sys.argv) > 1 else 0

def count(pattern):
    totals = [0, 0, 0, 0]  # tests, failures, errors, skipped
    files = [f for f in glob.glob(pattern, recursive=True) if os.path.getmtime(f) >= SINCE]
    for f in files:
        root = ET.parse(f).getroot()
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for s in suites:
            for i, k in enumerate(("tests", "failures", "errors", "skipped")):
                totals[i] += int(float(s.get(k, "0")))
    return len(files), totals

layers = {
    "unit + fuzz (surefire)":  "bundles/*/target/surefire-reports/TEST-*.xml",
    "in-framework (bnd-testing, osgi-test)": "bundles/*/target/test-reports/**/TEST-*.xml",
    "runtime (Pax Exam + runtime jar)": "itests/*/target/surefire-reports/TEST-*.xml",
}
grand = [0, 0, 0, 0]
problems = []
for name, pattern in layers.items():
    files, (tests, failures, errors, skipped) = count(pattern)
    print(f"ci: {name:40s} {tests:4d} tests, {failures} failed, {errors} errors, {skipped} skipped ({files} reports)")
    if tests - skipped <= 0:
        problems.append(f"no test ran in layer: {name}")
    for i, v in enumerate((tests, failures, errors, skipped)):
        grand[i] += v
passed = grand[0] - grand[1] - grand[2] - grand[3]
print(f"ci: {passed} passed, {grand[1] + grand[2]} failed, {grand[3]} skipped")
if grand[1] or grand[2]:
    problems.append("failing tests")
if problems:
    print("ci: FAILED: " + "; ".join(problems))
    sys.exit(1)
