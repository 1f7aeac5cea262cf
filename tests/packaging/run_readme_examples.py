"""Run the examples of each client wheel's README, as installed, against a sandbox.

Run by `test_wheels_in_clean_venv.py` with the clean virtualenv's interpreter:
`python -I run_readme_examples.py BASE_URL`. The README is read from the installed
distribution's metadata (the wheel's long description), so what runs is what the wheel ships;
each ```python block runs with `http://127.0.0.1:8080` replaced by BASE_URL. Prints `ok N`,
N the number of examples run.
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import metadata

README_URL = "http://127.0.0.1:8080"


def main() -> None:
    base_url = sys.argv[1]
    count = 0
    for distribution in ("engage-client", "intelsend-client"):
        readme = metadata(distribution).json["description"]
        assert isinstance(readme, str), distribution
        for code in re.findall(r"^```python\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL):
            namespace: dict[str, object] = {"__name__": "readme_example"}
            exec(compile(code.replace(README_URL, base_url), distribution, "exec"), namespace)
            count += 1
    print(f"ok {count}")


if __name__ == "__main__":
    main()
