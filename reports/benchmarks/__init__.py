"""`make bench`: the steps (``steps.STEPS``) and how each is measured (``runner``).

See the README's "Benchmark" section for what each step does and the last figures."""
