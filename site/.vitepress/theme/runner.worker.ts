// The page's cell worker: one notebook for the page, with the torchlet packages cells may import.
import { serveNotebook, type WorkerScope } from "@torchlet/cells/worker";

serveNotebook(self as unknown as WorkerScope);
