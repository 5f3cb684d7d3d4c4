# Ansible stdout callback of 2501-runner (embedded in the binary at build time and
# written to a temporary folder at run time). It prints one JSON document when the
# playbook ends: the play names and the command of every command/shell task that ran,
# in order. ansible-core ships no JSON callback of its own.
import json

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "runner_json"

    def __init__(self):
        super().__init__()
        self.plays = []
        self.commands = []
        self.failed = []

    def v2_playbook_on_play_start(self, play):
        self.plays.append(play.get_name().strip())

    def _record(self, result):
        cmd = result._result.get("cmd")
        if isinstance(cmd, list):
            cmd = " ".join(str(part) for part in cmd)
        if cmd:
            self.commands.append(str(cmd))

    def v2_runner_on_ok(self, result):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result)
        if not ignore_errors:
            self.failed.append(result._task.get_name())

    def v2_playbook_on_stats(self, stats):
        self._display.display(json.dumps({"plays": self.plays, "commands": self.commands, "failed": self.failed}))
