/**
 * Printing, exactly as PyTorch 1.13 prints: tensors (`formatTensor`, `formatTensorAsync`), the print
 * options of `torch.set_printoptions`, and Python's ways of writing a float, which module reprs need.
 */
export { formatTensor, formatTensorAsync } from "./format-tensor.ts";
export { type PrintOptions, type SetPrintOptions, setPrintOptions, getPrintOptions } from "./print-options.ts";
export { formatFloatFixed, formatFloatScientific, pythonFloatRepr } from "./python-float.ts";
