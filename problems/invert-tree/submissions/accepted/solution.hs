-- data TreeNode = TreeNode Int (Maybe TreeNode) (Maybe TreeNode), from the judge.
invertTree :: Maybe TreeNode -> Maybe TreeNode
invertTree Nothing = Nothing
invertTree (Just (TreeNode v l r)) = Just (TreeNode v (invertTree r) (invertTree l))
