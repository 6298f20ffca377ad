# @param {TreeNode} root
# @return {TreeNode}
def invert_tree(root)
  return nil if root.nil?
  root.left, root.right = invert_tree(root.right), invert_tree(root.left)
  root
end
