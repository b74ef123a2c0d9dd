"""``pytorch-lite convert IN.t7 OUT``: the CLI face of ``converters.convert``."""
import sys


def _shape(text):
    """'2x784' -> (2, 784); '4,5;4,20' (several inputs) -> [(4, 5), (4, 20)]."""
    parts = [tuple(int(v) for v in p.replace(",", "x").split("x") if v) for p in text.split(";") if p]
    return parts[0] if len(parts) == 1 else parts


def add_parser(sub):
    p = sub.add_parser("convert", help="convert a t7 model to .pt/.py/.onnx/.safetensors/.npz/.t7",
                       description="Convert a Torch7 model; the target comes from OUT's suffix or --to. The "
                                   "result is loaded back and checked against pytorch_lite's outputs. .pt is "
                                   "TorchScript (torch.jit.load), .py a standalone nn.Module source file with its "
                                   "state_dict in OUT.pth.")
    p.add_argument("input", help="a .t7 file holding a model (or tables holding models: see --key)")
    p.add_argument("output")
    p.add_argument("--to", choices=["t7", "pt", "py", "onnx", "safetensors", "npz"], default=None)
    p.add_argument("--key", default=None,
                   help="the model's path in the file's tables, e.g. protos.rnn (list entries 1-based); "
                        "default: the only model in the file (`pytorch-lite info` lists them)")
    p.add_argument("--type", choices=["float", "double"], default=None, help="convert the weights' type")
    p.add_argument("--ascii", action="store_true", help="t7: write an ascii file")
    p.add_argument("--long-size", type=int, choices=[4, 8], default=None, help="t7: bytes per long")
    p.add_argument("--input-shape", type=_shape, default=None,
                   help="sample input size, e.g. 2x784 (several inputs: '4x5;4x20'); default: guessed")
    p.add_argument("--no-check", action="store_true", help="skip loading the result back")
    p.set_defaults(func=run)
    return p


def run(args, out):
    from . import convert
    from ..errors import TorchError
    try:
        r = convert(args.input, args.output, args.to, key=args.key, type=args.type, ascii=args.ascii,
                    long_size=args.long_size,
                    input_shape=args.input_shape, check=not args.no_check)
    except (TorchError, OSError, ImportError) as e:
        sys.stderr.write("pytorch-lite convert: %s\n" % e)
        return 2
    msg = "wrote %s (%s)" % (r["path"], r["target"])
    if r.get("state_dict"):
        msg += " and its state_dict %s" % r["state_dict"]
    if "max_error" in r:
        msg += "; checked: outputs match pytorch_lite's (max relative difference %.2g)" % r["max_error"]
        sizes = r.get("batch_sizes_checked")
        if sizes:   # a note on stderr: stdout keeps one line per result
            sys.stderr.write("pytorch-lite convert: the batch dimension is free (checked at batch sizes %s)\n"
                             % " and ".join(map(str, sizes)))
        elif r.get("dynamic_batch") is False:
            sys.stderr.write("pytorch-lite convert: the model takes this input size only\n")
    elif r.get("checked"):
        msg += "; checked: " + r["checked"]
    out.write(msg + "\n")
    return 0
