"""A pipeline built with the SDK: `gofer pipeline deploy examples/hello.py`."""

from gofer_sdk import Pipeline, Task

pipeline = Pipeline(
    id="hello",
    description="Two tasks, one after the other.",
    tasks=[
        Task(id="greet", image="busybox:stable", script="echo hello from $GOFER_TASK_ID"),
        Task(id="farewell", image="busybox:stable", command=["echo", "bye"]).after("greet"),
    ],
)
