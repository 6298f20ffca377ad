import qualified Data.List

transpose :: [[Int]] -> [[Int]]
transpose = Data.List.transpose
