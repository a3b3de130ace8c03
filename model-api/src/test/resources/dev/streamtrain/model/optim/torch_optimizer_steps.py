#!/usr/bin/env python3
"""Prints what torch.optim computes for the first three steps of each optimizer configuration that
OptimizerRulesTest checks: parameters [0.5, -1.0, 0.25] (float32), the same three gradients for
every optimizer, one step per gradient. Run with Debian's python3-torch:

    /usr/bin/python3 torch_optimizer_steps.py

The values in OptimizerRulesTest were printed by torch 1.13.1 (Debian 12, CPU).
"""
import torch

START = [0.5, -1.0, 0.25]
GRADIENTS = [[0.1, -0.2, 0.3], [-0.05, 0.4, 0.0], [0.2, 0.1, -0.3]]

CONFIGS = [
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    ("sgd dampening weight_decay", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1,
                                                             weight_decay=0.01)),
    ("sgd nesterov", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("adam", lambda p: torch.optim.Adam(p, lr=0.01)),
    ("adam amsgrad weight_decay", lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.9), weight_decay=0.1,
                                                             amsgrad=True)),
    ("adamw", lambda p: torch.optim.AdamW(p, lr=0.01)),
    ("adamw amsgrad", lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.01)),
    ("rmsprop momentum centered", lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.9, centered=True,
                                                                weight_decay=0.1)),
    ("adagrad", lambda p: torch.optim.Adagrad(p, lr=0.1)),
    ("adagrad lr_decay", lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.5, weight_decay=0.1,
                                                       initial_accumulator_value=0.2)),
]

torch.set_num_threads(1)
for name, make in CONFIGS:
    p = torch.tensor(START, dtype=torch.float32, requires_grad=True)
    optimizer = make([p])
    steps = []
    for g in GRADIENTS:
        optimizer.zero_grad()
        p.grad = torch.tensor(g, dtype=torch.float32)
        optimizer.step()
        steps.append("{" + ", ".join(f"{v:.9g}f" for v in p.detach().tolist()) + "}")
    print(f'"{name}": ' + ", ".join(steps))
