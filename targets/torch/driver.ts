// `eqv_run.py`: the script `eqvc run --target torch` (runner.ts) hands to the machine's Python.
// It reads jobs.json (several models at once, so that tests pay Python's and torch's start-up
// once), and for each job imports the generated module, loads the weights and inputs (float64
// safetensors), runs forward in the requested dtype and device, optionally also the
// torch.jit.script'ed module, and writes the outputs as float64 safetensors. A failure is
// reported as one JSON line on stderr naming the job, never as a bare traceback.

export const PYTHON_DRIVER = String.raw`import importlib.util
import json
import sys
import traceback

import torch

from eqv_safetensors import load_eqv_weights, read_safetensors, write_safetensors


def load_class(path, name):
    spec = importlib.util.spec_from_file_location(name + "_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def run_job(job, dtype, device, script, grad):
    cls = load_class(job["module"], job["class"])
    model = cls(dtype).to(device)
    load_eqv_weights(model, job["weights"])
    model.eval()
    data = read_safetensors(job["inputs"])
    graph_ptr = data.pop(".graph_ptr").to(torch.long).to(device)
    inputs = {name: t.to(dtype).to(device) for name, t in data.items()}
    results = {}
    with torch.no_grad():
        out = model(inputs, graph_ptr)
        for name, t in out.items():
            results["out." + name] = t.detach().to(torch.float64).cpu().reshape(-1)
        if script:
            scripted = torch.jit.script(model)
            out = scripted(inputs, graph_ptr)
            for name, t in out.items():
                results["script." + name] = t.detach().to(torch.float64).cpu().reshape(-1)
    if grad:
        # d/dparams of sum over outputs of |out|^2 / 2, for comparison with finite differences
        model.zero_grad()
        out = model(inputs, graph_ptr)
        loss = sum([(t * t).sum() for t in out.values()]) / 2.0
        loss.backward()
        for name, p in model.named_parameters():
            g = p.grad if p.grad is not None else torch.zeros_like(p)
            results["grad." + name] = g.detach().to(torch.float64).cpu().reshape(-1)
    write_safetensors(job["outputs"], results, {"state_dict": json.dumps(list(model.state_dict().keys()))})


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    dtype = {"float32": torch.float32, "float64": torch.float64}[spec["dtype"]]
    device = torch.device(spec["device"])
    for job in spec["jobs"]:
        try:
            run_job(job, dtype, device, spec["script"], spec.get("grad", False))
        except Exception as e:  # reported to eqvc, which names the model
            sys.stderr.write(json.dumps({"job": job["class"], "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}) + "\n")
            sys.exit(3)


if __name__ == "__main__":
    main()
`;
